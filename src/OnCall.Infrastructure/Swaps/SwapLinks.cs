using System.Globalization;
using NodaTime;
using OnCall.Core.Ports;
using OnCall.Core.Swaps;
using OnCall.Core.Time;
using OnCall.Infrastructure.Handoffs;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Infrastructure.Swaps;

/// <summary>What a swap link lets its holder do; the name is part of what is signed.</summary>
public enum SwapLinkAction
{
    Take,
    Review,
    Cancel,
}

/// <summary>
/// The swap flow's signed links (see <see cref="ISwapLinks"/>). Each expires when the shift starts, since nothing can
/// be done about a request after that; the signature covers the action, the request (or the offered span) and the email.
/// </summary>
public sealed class SwapLinks(LinkSignature signature, IPublicBaseUrl publicBaseUrl) : ISwapLinks
{
    private const string OfferPurpose = "swap-offer";

    public bool Enabled => signature.Enabled;

    public Uri? OfferLink(string rotationId, string layer, Instant shiftFrom, Instant shiftUntil, string email)
    {
        if (!Enabled)
        {
            return null;
        }

        var expires = shiftFrom.ToUnixTimeSeconds();
        var (start, end) = (InstantText.Format(shiftFrom), InstantText.Format(shiftUntil));
        var sig = signature.Sign(expires, OfferPurpose, rotationId, layer, start, end, LinkSignature.Email(email));
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"layer={Uri.EscapeDataString(layer)}&start={start}&end={end}&e={Uri.EscapeDataString(email)}&exp={expires}&sig={sig}");
        return new Uri(publicBaseUrl.Value, $"api/rotations/{Uri.EscapeDataString(rotationId)}/swaps/offer?{query}");
    }

    public Uri? TakeLink(SwapRequest swap, string email) => Link(swap, SwapLinkAction.Take, email);

    public Uri? ReviewLink(SwapRequest swap, string email) => Link(swap, SwapLinkAction.Review, email);

    public Uri? CancelLink(SwapRequest swap, string email) => Link(swap, SwapLinkAction.Cancel, email);

    /// <summary>Checks an offer link's query as it came in (start and end as sent).</summary>
    public LinkCheck CheckOffer(
        string rotationId,
        string? layer,
        string? start,
        string? end,
        string? email,
        string? expires,
        string? sig,
        Instant now) =>
        signature.Check(expires, sig, now, OfferPurpose, rotationId, layer, start, end, email is null ? null : LinkSignature.Email(email));

    public LinkCheck Check(string swapId, SwapLinkAction action, string? email, string? expires, string? sig, Instant now) =>
        signature.Check(expires, sig, now, Purpose(action), swapId, email is null ? null : LinkSignature.Email(email));

    private Uri? Link(SwapRequest swap, SwapLinkAction action, string email)
    {
        ArgumentNullException.ThrowIfNull(swap);
        if (!Enabled)
        {
            return null;
        }

        var expires = swap.Start.ToUnixTimeSeconds();
        var sig = signature.Sign(expires, Purpose(action), swap.Id, LinkSignature.Email(email));
        var query = string.Create(CultureInfo.InvariantCulture, $"e={Uri.EscapeDataString(email)}&exp={expires}&sig={sig}");
        return new Uri(publicBaseUrl.Value, $"api/swaps/{Uri.EscapeDataString(swap.Id)}/{Path(action)}?{query}");
    }

    private static string Purpose(SwapLinkAction action) => "swap-" + Path(action);

    public static string Path(SwapLinkAction action) => action switch
    {
        SwapLinkAction.Take => "take",
        SwapLinkAction.Review => "review",
        _ => "withdraw",
    };
}
