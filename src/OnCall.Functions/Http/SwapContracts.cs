using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Swaps;

namespace OnCall.Functions.Http;

/// <summary>
/// The body of <c>POST /api/rotations/{id}/swaps</c>: the requester's shift on <see cref="Layer"/> from
/// <see cref="Start"/> to <see cref="End"/>, offered to <see cref="OfferedTo"/> (default: the layer's other members).
/// </summary>
public sealed record SwapCreateRequest(string? Layer, string? Start, string? End, string? Requester, IReadOnlyList<string?>? OfferedTo)
{
    public SwapSpec ToSpec()
    {
        var errors = new ValidationErrors();
        var start = WireFormat.ParseInstant(Start, "start", errors);
        var end = WireFormat.ParseInstant(End, "end", errors);

        // Start and end stand in for each other when one did not parse, so only the real fault is reported.
        var known = start ?? end ?? Instant.FromUnixTimeSeconds(0);
        var (from, to) = start is { } s && end is { } e ? (s, e) : (known, known + Duration.FromMinutes(1));
        var spec = new SwapSpec(WireFormat.Text(Layer), from, to, WireFormat.Text(Requester), OfferedTo?.Select(WireFormat.Text).ToList());
        SwapRules.Check(spec, errors);
        errors.ThrowIfAny();
        return spec;
    }
}

/// <summary>The body of the accept, approve, decline and cancel routes: who does it.</summary>
public sealed record SwapActionRequest(string? By);

public sealed record SwapResponse(
    string Id,
    string Rotation,
    string Layer,
    Instant Start,
    Instant End,
    MemberResponse Requester,
    IReadOnlyList<MemberResponse> OfferedTo,
    string Status,
    Instant CreatedAt,
    MemberResponse? TakenBy,
    Instant? TakenAt,
    string? DecidedBy,
    Instant? DecidedAt,
    string? OverrideId);

public static class SwapContracts
{
    public static SwapResponse ToResponse(SwapRequest swap)
    {
        ArgumentNullException.ThrowIfNull(swap);
        return new(
            swap.Id,
            swap.RotationId,
            swap.Layer,
            swap.Start,
            swap.End,
            Contracts.ToResponse(swap.Requester),
            [.. swap.OfferedTo.Select(Contracts.ToResponse)],
            SwapService.Wire(swap.Status),
            swap.CreatedAt,
            swap.TakenBy is { } taker ? Contracts.ToResponse(taker) : null,
            swap.TakenAt,
            swap.DecidedBy,
            swap.DecidedAt,
            swap.OverrideId);
    }

    /// <summary>The <c>status</c> query parameter.</summary>
    public static SwapStatus? ParseStatus(string? value)
    {
        if (value is null)
        {
            return null;
        }

        foreach (var status in Enum.GetValues<SwapStatus>())
        {
            if (SwapService.Wire(status) == value)
            {
                return status;
            }
        }

        throw new ValidationFailedException(
            "status",
            $"must be one of {string.Join(", ", Enum.GetValues<SwapStatus>().Select(SwapService.Wire))}.");
    }
}
