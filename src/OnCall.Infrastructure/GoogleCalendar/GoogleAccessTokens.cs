using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Options;
using OnCall.Core.CalendarSync;

namespace OnCall.Infrastructure.GoogleCalendar;

/// <summary>
/// Access tokens for the service account, from <c>Google.Apis.Auth</c>: a JWT signed with the key's private key,
/// exchanged at the key's <c>token_uri</c>, cached until shortly before it expires.
/// </summary>
public sealed class GoogleAccessTokens(IOptions<GoogleCalendarOptions> options)
{
    /// <summary>Events only: the sync never needs to create, share or delete calendars.</summary>
    public const string Scope = "https://www.googleapis.com/auth/calendar.events";

    private readonly Lazy<ServiceAccountCredential> _credential = new(
        () => Create(options.Value),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public async Task<string> GetAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _credential.Value.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (TokenResponseException e)
        {
            // The token endpoint's error code (invalid_grant, unauthorized_client …) says what is wrong and holds no secret.
            throw new CalendarApiException(
                $"authentication failed: {e.Error?.Error ?? "token endpoint refused"} {e.Error?.ErrorDescription} "
                + $"(HTTP {(int?)e.StatusCode})");
        }
        catch (HttpRequestException e)
        {
            throw new CalendarApiException($"authentication failed: token endpoint unreachable ({e.HttpRequestError})");
        }
    }

    private static ServiceAccountCredential Create(GoogleCalendarOptions options)
    {
        var key = ServiceAccountKey.Parse(
            options.ServiceAccountJson ?? throw new InvalidOperationException("Google Calendar is not configured."));
        return new ServiceAccountCredential(
            new ServiceAccountCredential.Initializer(key.ClientEmail, key.TokenUri.AbsoluteUri) { Scopes = [Scope] }
                .FromPrivateKey(key.PrivateKey));
    }
}
