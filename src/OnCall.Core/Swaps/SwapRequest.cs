using NodaTime;
using OnCall.Core.Rotations;

namespace OnCall.Core.Swaps;

public enum SwapStatus
{
    /// <summary>Offered, nobody has taken it yet.</summary>
    Open,

    /// <summary>Taken; the supervisor has to approve it before the override is made (<c>OnCall:Swaps:RequireApproval</c>).</summary>
    PendingApproval,

    /// <summary>Taken (and approved where approval is required): the override exists.</summary>
    Accepted,

    /// <summary>The supervisor declined the taker's acceptance.</summary>
    Declined,

    /// <summary>Withdrawn by the requester or an admin.</summary>
    Cancelled,

    /// <summary>Its start passed while it was open or waiting for approval.</summary>
    Expired,
}

/// <summary>
/// <see cref="Requester"/> asks someone in <see cref="OfferedTo"/> to cover their shift on <see cref="Layer"/> from
/// <see cref="Start"/> to <see cref="End"/>. The first acceptance (approved, where approval is required) becomes the
/// override <see cref="OverrideId"/>. The id is <c>{rotation}.{32 hex digits}</c>, so the request is found from it alone.
/// </summary>
public sealed record SwapRequest(
    string Id,
    string RotationId,
    string Layer,
    Instant Start,
    Instant End,
    Member Requester,
    IReadOnlyList<Member> OfferedTo,
    SwapStatus Status,
    Instant CreatedAt)
{
    /// <summary>Who took it, and when.</summary>
    public Member? TakenBy { get; init; }

    public Instant? TakenAt { get; init; }

    /// <summary>Who approved, declined or cancelled it, and when.</summary>
    public string? DecidedBy { get; init; }

    public Instant? DecidedAt { get; init; }

    /// <summary>The override an accepted request made.</summary>
    public string? OverrideId { get; init; }

    /// <summary>The status as of <paramref name="now"/>: an open or unapproved request whose start has passed has expired.</summary>
    public SwapStatus StatusAt(Instant now) =>
        Status is SwapStatus.Open or SwapStatus.PendingApproval && now >= Start ? SwapStatus.Expired : Status;

    /// <summary>Open or waiting for approval, and not expired: it still blocks an overlapping request.</summary>
    public bool IsLive(Instant now) => StatusAt(now) is SwapStatus.Open or SwapStatus.PendingApproval;

    public bool Overlaps(string layer, Instant start, Instant end) => Layer == layer && Start < end && start < End;

    public bool IsOfferedTo(string email) =>
        OfferedTo.Any(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A swap as requested, before it has an id; emails only.</summary>
public sealed record SwapSpec(string Layer, Instant Start, Instant End, string Requester, IReadOnlyList<string>? OfferedTo);
