using System.Globalization;
using NodaTime;
using OnCall.Core.Handoffs;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Infrastructure.Handoffs;

/// <summary>
/// Signed acknowledge links: the signature covers handoff id, email and expiry, so whoever holds the link can
/// acknowledge that one handoff as that person until it expires, and nothing else.
/// </summary>
public sealed class HandoffLinkSigner(LinkSignature hmac, IPublicBaseUrl publicBaseUrl) : IHandoffLinks
{
    public bool Enabled => hmac.Enabled;

    public Uri? AcknowledgeLink(Handoff handoff, DateTimeZone zone, string email)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        if (!Enabled)
        {
            return null;
        }

        var expires = HandoffLinkRules.ExpiryOf(handoff, zone).ToUnixTimeSeconds();
        var sig = hmac.Sign(expires, handoff.Id, LinkSignature.Email(email));
        var query = string.Create(CultureInfo.InvariantCulture, $"e={Uri.EscapeDataString(email)}&exp={expires}&sig={sig}");
        return new Uri(publicBaseUrl.Value, $"api/handoffs/{Uri.EscapeDataString(handoff.Id)}/ack?{query}");
    }

    public LinkCheck Check(string id, string? email, string? expires, string? signature, Instant now) =>
        hmac.Check(expires, signature, now, id, email is null ? null : LinkSignature.Email(email));
}
