using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Core.Swaps;

/// <summary>What makes a swap request acceptable, with the JSON field names problem+json reports.</summary>
public static class SwapRules
{
    /// <summary>The most people one request is offered to.</summary>
    public const int MaxOfferedTo = 50;

    /// <summary>Rules that hold whatever the rotation: the shape of the request.</summary>
    public static void Check(SwapSpec spec, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(errors);
        RotationRules.CheckId(spec.Layer, "layer", errors);
        RotationRules.CheckInstant(spec.Start, "start", errors);
        RotationRules.CheckInstant(spec.End, "end", errors);

        // It becomes an override, and overrides start and end on whole minutes.
        if (!RotationRules.IsWholeMinute(spec.Start))
        {
            errors.Add("start", "must be a whole minute.");
        }

        if (!RotationRules.IsWholeMinute(spec.End))
        {
            errors.Add("end", "must be a whole minute.");
        }

        if (spec.End <= spec.Start)
        {
            errors.Add("end", "must be after start.");
        }
        else if (spec.End - spec.Start > RotationRules.MaxOverride)
        {
            errors.Add("end", "a swap may cover at most one year.");
        }

        RotationRules.CheckEmail(spec.Requester, "requester", errors);
        if (spec.OfferedTo is { } offered)
        {
            if (offered.Count == 0)
            {
                errors.Add("offeredTo", "must name at least one person, or be left out to offer the shift to the layer's other members.");
            }
            else if (offered.Count > MaxOfferedTo)
            {
                errors.Add("offeredTo", $"at most {MaxOfferedTo} people.");
            }

            for (var i = 0; i < Math.Min(offered.Count, MaxOfferedTo); i++)
            {
                RotationRules.CheckEmail(offered[i], $"offeredTo[{i}]", errors);
            }
        }
    }

    /// <summary>
    /// The rules that need the rotation: the requester and everyone offered to are members, and [start, end) on the
    /// layer is the requester's own shift (after overrides), all of it. Returns the people to offer it to.
    /// </summary>
    public static (Member Requester, IReadOnlyList<Member> OfferedTo) CheckAgainst(
        Rotation rotation,
        IReadOnlyCollection<Override> overrides,
        SwapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentNullException.ThrowIfNull(spec);
        var layer = rotation.Settings.FindLayer(spec.Layer)
            ?? throw new ValidationFailedException("layer", $"rotation '{rotation.Id}' has no layer '{spec.Layer}'.");
        var requester = FindMember(rotation.Settings, spec.Requester)
            ?? throw new ValidationFailedException(
                "requester",
                $"'{spec.Requester}' is not a member of any layer of rotation '{rotation.Id}'.");

        var errors = new ValidationErrors();
        var offered = new List<Member>();
        if (spec.OfferedTo is { } emails)
        {
            for (var i = 0; i < emails.Count; i++)
            {
                var member = FindMember(rotation.Settings, emails[i]);
                if (member is null)
                {
                    errors.Add($"offeredTo[{i}]", $"'{emails[i]}' is not a member of any layer of rotation '{rotation.Id}'.");
                }
                else if (Same(member.Email, requester.Email))
                {
                    errors.Add($"offeredTo[{i}]", "is the requester; offer the shift to someone else.");
                }
                else if (!offered.Exists(m => Same(m.Email, member.Email)))
                {
                    offered.Add(member);
                }
            }
        }
        else
        {
            offered.AddRange(layer.Members.Where(m => !Same(m.Email, requester.Email)).DistinctBy(m => m.Email.ToUpperInvariant()));
            if (offered.Count == 0)
            {
                errors.Add("offeredTo", $"layer '{layer.Name}' has no other members; name who to offer the shift to.");
            }
        }

        errors.ThrowIfAny();
        CheckOwnShift(rotation, overrides, spec, requester);
        return (requester, offered);
    }

    /// <summary>Every instant of [start, end) on the layer must be the requester's, after overrides.</summary>
    private static void CheckOwnShift(Rotation rotation, IReadOnlyCollection<Override> overrides, SwapSpec spec, Member requester)
    {
        var cursor = spec.Start;
        foreach (var shift in ShiftExpander.Expand(rotation, overrides, spec.Start, spec.End)
            .Where(s => s.Layer == spec.Layer)
            .OrderBy(s => s.Start))
        {
            if (shift.Start > cursor)
            {
                break;
            }

            if (!Same(shift.Member.Email, requester.Email))
            {
                throw new ValidationFailedException(
                    "start",
                    $"{requester.Email} is not on call on layer '{spec.Layer}' from {Instant(cursor)}: {shift.Member.Email} "
                    + "is. A swap covers the requester's own shift.");
            }

            cursor = NodaTime.Instant.Max(cursor, shift.End);
            if (cursor >= spec.End)
            {
                return;
            }
        }

        throw new ValidationFailedException(
            "start",
            $"nobody is on call on layer '{spec.Layer}' from {Instant(cursor)}, so that span is not {requester.Email}'s shift to swap.");
    }

    public static Member? FindMember(RotationSettings settings, string email)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Layers.SelectMany(l => l.Members).FirstOrDefault(m => Same(m.Email, email));
    }

    public static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Instant(Instant instant) => InstantText.Format(instant);
}
