using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Functions.Http;

/// <summary>
/// A webhook source's own secret (<c>OnCall:WebhookSecrets:&lt;source&gt;</c>), presented as a Bearer token, as an
/// HMAC-SHA256 signature <c>X-OnCall-Signature: sha256=&lt;hex&gt;</c> over <c>&lt;X-OnCall-Timestamp&gt;.&lt;body&gt;</c>
/// (Unix seconds, at most five minutes off, so a captured request cannot be replayed later), or as <c>?code=</c>
/// (Azure Monitor action groups cannot add headers). Compared in constant time. A source without a secret is refused.
/// </summary>
public sealed class WebhookAuth(IConfiguration configuration, TimeProvider clock)
{
    public const string SignatureHeader = "X-OnCall-Signature";
    public const string TimestampHeader = "X-OnCall-Timestamp";
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Source → setting key, spelled as the sample settings, the README and the error message spell it:
    /// <c>Generic</c>, <c>Alertmanager</c>, <c>AzureMonitor</c>, <c>Grafana</c>. App setting names cannot hold '-', so
    /// azure-monitor's is AzureMonitor (configuration keys are case-insensitive, so other spellings still read).
    /// </summary>
    public static string SettingKey(string source) => source switch
    {
        AlertPayloads.Generic => "Generic",
        AlertPayloads.Alertmanager => "Alertmanager",
        AlertPayloads.AzureMonitor => "AzureMonitor",
        AlertPayloads.Grafana => "Grafana",
        _ => source,
    };

    public void Check(string source, HttpRequest request, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secrets = configuration.GetSection("OnCall:WebhookSecrets");
        var secret = KeyVaultReference.SecretOrNull(
            secrets[SettingKey(source)] is { Length: > 0 } configured ? configured : secrets[source]);
        if (secret is null)
        {
            throw Unauthorized($"Webhooks from {source} are off: no OnCall__WebhookSecrets__{SettingKey(source)} is set.");
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && Matches(authorization["Bearer ".Length..].Trim(), secret))
        {
            return;
        }

        if (request.Headers[SignatureHeader] is { Count: > 0 } signature)
        {
            CheckSignature(signature.ToString(), request.Headers[TimestampHeader].ToString(), body, secret);
            return;
        }

        if (request.Query["code"] is { Count: > 0 } code && Matches(code.ToString(), secret))
        {
            return;
        }

        throw Unauthorized($"Send the {source} webhook secret as a Bearer token, an {SignatureHeader} HMAC signature, or ?code=.");
    }

    private void CheckSignature(string signature, string timestamp, ReadOnlySpan<byte> body, string secret)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > ReplayWindow)
        {
            throw Unauthorized($"{TimestampHeader} must be the Unix time in seconds, within five minutes of ours.", TimestampHeader);
        }

        var prefix = Encoding.UTF8.GetBytes($"{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        byte[] presented;
        try
        {
            presented = signature.StartsWith("sha256=", StringComparison.Ordinal)
                ? Convert.FromHexString(signature["sha256=".Length..])
                : [];
        }
        catch (FormatException)
        {
            presented = [];
        }

        if (!CryptographicOperations.FixedTimeEquals(presented, expected))
        {
            throw Unauthorized(
                $"{SignatureHeader} does not match: sign '<timestamp>.<body>' with HMAC-SHA256 and send sha256=<hex>.",
                SignatureHeader);
        }
    }

    // Hashing first makes the comparison constant-time whatever the lengths.
    private static bool Matches(string presented, string expected) =>
        presented.Length > 0
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static HttpProblemException Unauthorized(string detail, string field = "Authorization") =>
        new(401, "Unauthorized", detail, field);
}
