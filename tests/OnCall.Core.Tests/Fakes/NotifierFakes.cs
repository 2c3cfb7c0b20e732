using NodaTime;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Swaps;

namespace OnCall.Core.Tests.Fakes;

/// <summary>A chat whose client throws (a bug, a DNS failure): callers must not fail the step that already happened.</summary>
internal sealed class ThrowingNotifier : INotifier
{
    public int Calls { get; private set; }

    public Task<NotificationResult> NotifyAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        Calls++;
        throw new HttpRequestException("no route to host");
    }
}

/// <summary>Swap links as the signed-link service makes them: one per person and action.</summary>
internal sealed class PlainSwapLinks : ISwapLinks
{
    public Uri? OfferLink(string rotationId, string layer, Instant shiftFrom, Instant shiftUntil, string email) =>
        new($"https://oncall.example.com/offer/{rotationId}/{layer}?as={email}");

    public Uri? TakeLink(SwapRequest swap, string email) => new($"https://oncall.example.com/swaps/{swap.Id}/take?as={email}");

    public Uri? ReviewLink(SwapRequest swap, string email) => new($"https://oncall.example.com/swaps/{swap.Id}/review?as={email}");

    public Uri? CancelLink(SwapRequest swap, string email) => new($"https://oncall.example.com/swaps/{swap.Id}/cancel?as={email}");
}
