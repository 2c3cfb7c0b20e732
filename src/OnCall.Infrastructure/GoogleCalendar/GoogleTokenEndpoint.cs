using System.Text.Json;
using OnCall.Core.CalendarSync;

namespace OnCall.Infrastructure.GoogleCalendar;

/// <summary>An access token and how long Google says it lasts.</summary>
internal sealed record IssuedToken(string AccessToken, TimeSpan ExpiresIn)
{
    // Printed, it never shows the token (records print every member by default).
    public override string ToString() => $"access token for {ExpiresIn}";
}

/// <summary>
/// The token endpoint (the key file's <c>token_uri</c>): trades a signed assertion for an access token, through the
/// outgoing-HTTP pipeline, so its timeouts and its retries honouring <c>Retry-After</c> are the Calendar API's. Neither
/// the assertion nor the token is ever put in an error or a log.
/// </summary>
public sealed class GoogleTokenEndpoint(HttpClient http)
{
    private const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    internal async Task<IssuedToken> ExchangeAsync(Uri tokenUri, string assertion, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUri)
        {
            Content = new FormUrlEncodedContent([new("grant_type", GrantType), new("assertion", assertion)]),
        };
        using var response = await GoogleErrors.SendAsync(http, request, "authentication failed: token endpoint", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CalendarApiException($"authentication failed: {Describe(body)} (HTTP {(int)response.StatusCode})");
        }

        return Parse(body)
            ?? throw new CalendarApiException("authentication failed: the token endpoint's answer has no access token");
    }

    /// <summary><c>{"access_token": "…", "expires_in": 3599, "token_type": "Bearer"}</c>, or null.</summary>
    private static IssuedToken? Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("access_token", out var token)
                && token.ValueKind == JsonValueKind.String
                && token.GetString() is { Length: > 0 } accessToken
                && root.TryGetProperty("expires_in", out var expiresIn)
                && expiresIn.ValueKind == JsonValueKind.Number
                && expiresIn.TryGetInt32(out var seconds)
                && seconds > 0
                    ? new IssuedToken(accessToken, TimeSpan.FromSeconds(seconds))
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The OAuth error code and Google's description (<c>invalid_grant: Invalid JWT Signature.</c>): they say what is
    /// wrong with the key or the account and hold no secret.
    /// </summary>
    private static string Describe(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String)
            {
                return root.TryGetProperty("error_description", out var description) && description.ValueKind == JsonValueKind.String
                    ? $"{error.GetString()}: {description.GetString()}"
                    : error.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        return "token endpoint refused";
    }
}
