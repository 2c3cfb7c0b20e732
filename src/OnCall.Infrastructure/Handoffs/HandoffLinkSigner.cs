using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NodaTime;
using OnCall.Core.Handoffs;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Infrastructure.Handoffs;

public enum LinkCheck
{
    Valid,
    NotConfigured,
    Invalid,
    Expired,
}

/// <summary>
/// Signed acknowledge links: HMAC-SHA256 over handoff id, email and expiry, so whoever holds the link can
/// acknowledge that one handoff as that person until it expires, and nothing else.
/// </summary>
public sealed class HandoffLinkSigner(IOptions<HandoffOptions> options, IPublicBaseUrl publicBaseUrl) : IHandoffLinks
{
    public bool Enabled => KeyVaultReference.SecretOrNull(options.Value.LinkKey) is not null;

    public Uri? AcknowledgeLink(Handoff handoff, DateTimeZone zone, string email)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        if (!Enabled)
        {
            return null;
        }

        var expires = HandoffLinkRules.ExpiryOf(handoff, zone).ToUnixTimeSeconds();
        var query = string.Create(CultureInfo.InvariantCulture, $"e={Uri.EscapeDataString(email)}&exp={expires}&sig={Sign(handoff.Id, email, expires)}");
        return new Uri(publicBaseUrl.Value, $"api/handoffs/{Uri.EscapeDataString(handoff.Id)}/ack?{query}");
    }

    public LinkCheck Check(string id, string? email, string? expires, string? signature, Instant now)
    {
        if (!Enabled)
        {
            return LinkCheck.NotConfigured;
        }

        if (string.IsNullOrEmpty(email) || signature is null || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var exp))
        {
            return LinkCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(id, email, exp));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return LinkCheck.Invalid;
        }

        return now.ToUnixTimeSeconds() >= exp ? LinkCheck.Expired : LinkCheck.Valid;
    }

    private string Sign(string id, string email, long expires)
    {
        // Unit separators between the parts, so no two different triples sign the same bytes.
        var message = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}\u001f{email.ToLowerInvariant()}\u001f{expires}"));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.LinkKey!), message);
        return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }
}
