using OnCall.Core.Handoffs;
using OnCall.Core.Notifications;
using OnCall.Core.Rotations;

namespace OnCall.Core.Swaps;

/// <summary>What people are told as a swap request moves along.</summary>
public static class SwapMessages
{
    public static Notification Offered(SwapRequest swap, Rotation rotation, Member to, Uri? takeLink, bool approval) => new(
        $"Can you take this shift? {Where(swap, rotation)}",
        [
            $"{to.Name}, {swap.Requester.Name} asks you to take their {swap.Layer} shift from {Span(swap, rotation)}.",
            approval
                ? "The first to accept takes it, once the supervisor approves."
                : "The first to accept takes it; the calendar and the handoffs follow.",
            .. takeLink is null
                ? [$"No link: OnCall:Handoffs:LinkKey is not set; accept with POST /api/swaps/{swap.Id}/accept."]
                : Array.Empty<string>(),
        ])
    {
        Facts = Facts(swap, rotation),
        Link = takeLink is null ? null : new NotificationLink("Take this shift", takeLink),
    };

    public static Notification Taken(SwapRequest swap, Rotation rotation) => new(
        $"Shift taken: {Where(swap, rotation)}",
        [
            $"{swap.Requester.Name}, {Taker(swap)} takes your {swap.Layer} shift from {Span(swap, rotation)}. The calendar "
            + "and the handoffs follow.",
        ])
    {
        Facts = [.. Facts(swap, rotation), new("Taken by", Taker(swap))],
    };

    public static Notification AwaitingApproval(SwapRequest swap, Rotation rotation, Uri? reviewLink) => new(
        $"Swap to approve: {Where(swap, rotation)}",
        [
            $"{SupervisorCall(rotation)}: {Taker(swap)} offers to take {swap.Requester.Name}'s {swap.Layer} shift from "
            + $"{Span(swap, rotation)}. Please approve or decline.",
            .. reviewLink is null
                ? [$"No link: OnCall:Handoffs:LinkKey is not set; decide with POST /api/swaps/{swap.Id}/approve or /decline."]
                : Array.Empty<string>(),
        ])
    {
        Facts = [.. Facts(swap, rotation), new("Taken by", Taker(swap))],
        Link = reviewLink is null ? null : new NotificationLink("Review the swap", reviewLink),
    };

    public static Notification Approved(SwapRequest swap, Rotation rotation) => new(
        $"Swap approved: {Where(swap, rotation)}",
        [
            $"{swap.DecidedBy} approved it: {Taker(swap)} takes {swap.Requester.Name}'s {swap.Layer} shift from "
            + $"{Span(swap, rotation)}. The calendar and the handoffs follow.",
        ])
    {
        Facts = [.. Facts(swap, rotation), new("Taken by", Taker(swap))],
    };

    public static Notification Declined(SwapRequest swap, Rotation rotation) => new(
        $"Swap declined: {Where(swap, rotation)}",
        [
            $"{swap.DecidedBy} declined {Taker(swap)} taking {swap.Requester.Name}'s {swap.Layer} shift from "
            + $"{Span(swap, rotation)}. {swap.Requester.Name} stays on call; nothing changes.",
        ])
    {
        Facts = Facts(swap, rotation),
    };

    public static Notification Cancelled(SwapRequest swap, Rotation rotation) => new(
        $"Swap request withdrawn: {Where(swap, rotation)}",
        [
            $"{swap.DecidedBy} withdrew the request for someone to take {swap.Requester.Name}'s {swap.Layer} shift from "
            + $"{Span(swap, rotation)}. Nothing changes.",
        ])
    {
        Facts = Facts(swap, rotation),
    };

    private static IReadOnlyList<NotificationFact> Facts(SwapRequest swap, Rotation rotation) =>
    [
        new("Rotation", rotation.Settings.Name),
        new("Layer", swap.Layer),
        new("From", HandoffMessages.Local(swap.Start, rotation)),
        new("To", HandoffMessages.Local(swap.End, rotation)),
        new("Requested by", $"{swap.Requester.Name} ({swap.Requester.Email})"),
    ];

    private static string Where(SwapRequest swap, Rotation rotation) => $"{rotation.Settings.Name} / {swap.Layer}";

    private static string Span(SwapRequest swap, Rotation rotation) =>
        $"{HandoffMessages.Local(swap.Start, rotation)} to {HandoffMessages.Local(swap.End, rotation)}";

    private static string Taker(SwapRequest swap) => swap.TakenBy is { } m ? $"{m.Name} ({m.Email})" : "nobody";

    private static string SupervisorCall(Rotation rotation) => rotation.Settings.Supervisor.Handle ?? rotation.Settings.Supervisor.Name;
}
