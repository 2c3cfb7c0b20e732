using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OnCall.Infrastructure.GoogleCalendar;

/// <summary>
/// The JWT a service account signs to get an access token (Google's "OAuth 2.0 for server to server applications"):
/// it names the account (<c>iss</c>), the scope, Google's token endpoint (<c>aud</c>) and an hour's validity, signed
/// RS256 with the key file's private key. Holds the key; never writes it anywhere.
/// </summary>
internal sealed class ServiceAccountAssertion : IDisposable
{
    /// <summary>Google names its own token endpoint as the audience, whichever <c>token_uri</c> the request goes to.</summary>
    public const string Audience = "https://oauth2.googleapis.com/token";

    /// <summary>The longest Google accepts.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly RSA _privateKey;
    private readonly string _encodedHeader;
    private readonly string _issuer;

    public ServiceAccountAssertion(ServiceAccountKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _privateKey = RSA.Create();
        _privateKey.ImportFromPem(key.PrivateKey);
        _issuer = key.ClientEmail;
        _encodedHeader = Encode(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
            if (key.PrivateKeyId is { } keyId)
            {
                // Which of the account's keys signed it, so Google need not try each.
                writer.WriteString("kid", keyId);
            }
        });
    }

    public string Create(DateTimeOffset now, string scope)
    {
        var issuedAt = now.ToUnixTimeSeconds();
        var claims = Encode(writer =>
        {
            writer.WriteString("iss", _issuer);
            writer.WriteString("scope", scope);
            writer.WriteString("aud", Audience);
            writer.WriteNumber("iat", issuedAt);
            writer.WriteNumber("exp", issuedAt + (long)Lifetime.TotalSeconds);
        });
        var signingInput = $"{_encodedHeader}.{claims}";
        var signature = _privateKey.SignData(
            Encoding.ASCII.GetBytes(signingInput),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    public void Dispose() => _privateKey.Dispose();

    private static string Encode(Action<Utf8JsonWriter> writeProperties)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(json.GetBuffer().AsSpan(0, (int)json.Length));
    }
}
