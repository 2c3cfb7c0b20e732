using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;

namespace OnCall.Infrastructure.GoogleCalendar;

/// <summary>
/// The Google Calendar sync, bound from <c>OnCall:Google</c> and checked at start. Off while
/// <see cref="ServiceAccountJson"/> is empty. The key JSON is a secret: nothing logs it or the tokens it buys.
/// </summary>
public sealed class GoogleCalendarOptions : IValidatableObject
{
    public const string Section = "OnCall:Google";

    /// <summary>
    /// A service account's key file, as Google Cloud downloads it (<c>type</c>, <c>client_email</c>,
    /// <c>private_key</c>, <c>token_uri</c>).
    /// </summary>
    public string? ServiceAccountJson { get; set; }

    /// <summary>
    /// The API's root; the Calendar API is at <c>calendar/v3/</c> under it and the batch endpoint at
    /// <c>batch/calendar/v3</c>.
    /// </summary>
    public Uri BaseUrl { get; set; } = new("https://www.googleapis.com/");

    /// <summary>Calls per batch request (Google takes up to 1000; the Calendar guide advises 50).</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Adds the member on call to each event as an attendee, so it shows in their own calendar too.</summary>
    public bool MembersAsAttendees { get; set; }

    /// <summary>Whom Google emails about attendee changes: <c>none</c>, <c>externalOnly</c> or <c>all</c>.</summary>
    [RegularExpression("^(none|externalOnly|all)$")]
    public string SendUpdates { get; set; } = "none";

    /// <summary>Rounds of retrying calls of a batch that were rate limited or failed on Google's side.</summary>
    [Range(0, 10)]
    public int MaxRetryRounds { get; set; } = 5;

    /// <summary>Median wait before the first round of retrying such calls; it doubles per round, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ServiceAccountJson);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!BaseUrl.IsAbsoluteUri || BaseUrl.Scheme is not ("https" or "http") || !BaseUrl.AbsolutePath.EndsWith('/'))
        {
            yield return new ValidationResult("BaseUrl must be an absolute http(s) URL ending in '/'.", [nameof(BaseUrl)]);
        }

        if (IsConfigured && ServiceAccountKey.Problem(ServiceAccountJson!) is { } problem)
        {
            // Which field is wrong, never the value: the value is the key.
            yield return new ValidationResult($"ServiceAccountJson {problem}.", [nameof(ServiceAccountJson)]);
        }
    }
}

/// <summary>The parts of a service-account key file the sync uses.</summary>
internal sealed record ServiceAccountKey(string ClientEmail, string PrivateKey, string? PrivateKeyId, Uri TokenUri)
{
    // Printed, it never shows the private key (records print every member by default).
    public override string ToString() => $"service account {ClientEmail}";

    public static ServiceAccountKey Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ServiceAccountKey(
            root.GetProperty("client_email").GetString()!,
            root.GetProperty("private_key").GetString()!,
            root.TryGetProperty("private_key_id", out var keyId) && keyId.ValueKind == JsonValueKind.String
                && keyId.GetString() is { Length: > 0 } id
                ? id
                : null,
            new Uri(
                root.TryGetProperty("token_uri", out var uri) && uri.GetString() is { Length: > 0 } u
                    ? u
                    : "https://oauth2.googleapis.com/token",
                UriKind.Absolute));
    }

    /// <summary>What is wrong with the key file, or null.</summary>
    public static string? Problem(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type)
                || type.GetString() != "service_account")
            {
                return "is not a service-account key (\"type\": \"service_account\")";
            }

            foreach (var field in new[] { "client_email", "private_key" })
            {
                if (!root.TryGetProperty(field, out var value)
                    || value.ValueKind != JsonValueKind.String
                    || string.IsNullOrWhiteSpace(value.GetString()))
                {
                    return $"lacks '{field}'";
                }
            }

            if (!IsRsaPrivateKey(root.GetProperty("private_key").GetString()!))
            {
                return "has a 'private_key' that is not a PEM RSA private key";
            }

            if (root.TryGetProperty("token_uri", out var tokenUri)
                && (tokenUri.ValueKind != JsonValueKind.String
                    || !Uri.TryCreate(tokenUri.GetString(), UriKind.Absolute, out var parsed)
                    || parsed.Scheme is not ("https" or "http")))
            {
                return "has a 'token_uri' that is not an absolute http(s) URL";
            }

            return null;
        }
        catch (JsonException)
        {
            return "is not valid JSON";
        }
    }

    private static bool IsRsaPrivateKey(string pem)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);

            // A public key imports too; only a private one can be exported with its private parameters.
            rsa.ExportParameters(includePrivateParameters: true);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
