using NodaTime;

namespace OnCall.Core.Swaps;

/// <summary>
/// The signed links of the swap flow, each letting the one person it names do one thing until the shift starts; every
/// method returns null when links are not configured (<c>OnCall:Handoffs:LinkKey</c>). As with acknowledge links, a
/// GET shows a page and only its button (a POST) acts.
/// </summary>
public interface ISwapLinks
{
    /// <summary>
    /// Lets <paramref name="email"/> offer their shift on [shiftFrom, shiftUntil) of the layer to their teammates (from
    /// a coverage notice).
    /// </summary>
    Uri? OfferLink(string rotationId, string layer, Instant shiftFrom, Instant shiftUntil, string email);

    /// <summary>"Take this shift": lets <paramref name="email"/>, one it is offered to, accept the request.</summary>
    Uri? TakeLink(SwapRequest swap, string email);

    /// <summary>Lets the supervisor approve or decline a taken request.</summary>
    Uri? ReviewLink(SwapRequest swap, string email);

    /// <summary>Lets the requester withdraw their request.</summary>
    Uri? CancelLink(SwapRequest swap, string email);
}
