using Microsoft.Extensions.Options;
using OnCall.Core.CalendarSync;

namespace OnCall.Infrastructure.GoogleCalendar;

/// <summary>
/// Access tokens for the service account: an assertion signed with the key's private key, traded at the key's
/// <c>token_uri</c>, and the token kept until shortly before it expires. Callers at once share one trade.
/// </summary>
public sealed class GoogleAccessTokens(
    GoogleTokenEndpoint endpoint,
    IOptions<GoogleCalendarOptions> options,
    TimeProvider timeProvider)
    : IDisposable
{
    /// <summary>Events only: the sync never needs to create, share or delete calendars.</summary>
    public const string Scope = "https://www.googleapis.com/auth/calendar.events";

    // Renewed this long before it expires (Google's own libraries do the same), so no request carries a token that
    // lapses on its way.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _renewing = new(1, 1);
    private readonly Lazy<Account> _account = new(() => Account.From(options.Value), LazyThreadSafetyMode.ExecutionAndPublication);
    private volatile CachedToken? _current;

    public async Task<string> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Usable(_current) is { } token)
        {
            return token;
        }

        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (Usable(_current) is { } renewedMeanwhile)
            {
                return renewedMeanwhile;
            }

            var account = _account.Value;
            var now = timeProvider.GetUtcNow();
            IssuedToken issued;
            try
            {
                issued = await endpoint.ExchangeAsync(account.Key.TokenUri, account.Assertion.Create(now, Scope), cancellationToken);
            }
            catch (CalendarApiException) when (_current is { } old && timeProvider.GetUtcNow() < old.ExpiresAt)
            {
                // Renewing early is for safety, not a need: while the token in hand is valid the sync goes on with it,
                // and the next call tries again.
                return old.Value;
            }

            // A token that lasts less than twice the margin is renewed halfway through its life instead.
            var margin = issued.ExpiresIn < 2 * RenewBefore ? issued.ExpiresIn / 2 : RenewBefore;
            _current = new CachedToken(issued.AccessToken, now + issued.ExpiresIn - margin, now + issued.ExpiresIn);
            return issued.AccessToken;
        }
        finally
        {
            _renewing.Release();
        }
    }

    public void Dispose()
    {
        if (_account.IsValueCreated)
        {
            _account.Value.Assertion.Dispose();
        }

        _renewing.Dispose();
    }

    private string? Usable(CachedToken? token) => token is not null && timeProvider.GetUtcNow() < token.RenewAt ? token.Value : null;

    // Printed, it never shows the token (records print every member by default).
    private sealed record CachedToken(string Value, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => $"access token renewed at {RenewAt:O}";
    }

    private sealed record Account(ServiceAccountKey Key, ServiceAccountAssertion Assertion)
    {
        public override string ToString() => Key.ToString();

        public static Account From(GoogleCalendarOptions options)
        {
            var key = ServiceAccountKey.Parse(
                options.ServiceAccountJson ?? throw new InvalidOperationException("Google Calendar is not configured."));
            return new Account(key, new ServiceAccountAssertion(key));
        }
    }
}
