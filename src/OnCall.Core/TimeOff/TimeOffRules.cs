using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Rotations;

namespace OnCall.Core.TimeOff;

/// <summary>What makes time off acceptable, with the JSON field names problem+json reports.</summary>
public static class TimeOffRules
{
    /// <summary>The longest one entry may be: a year, as for overrides.</summary>
    public static readonly Duration MaxLength = RotationRules.MaxOverride;

    /// <summary>Rules that hold whatever rotation the time off is for.</summary>
    public static void Check(TimeOffSpec spec, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(errors);
        RotationRules.CheckEmail(spec.Member, "member", errors);
        RotationRules.CheckInstant(spec.Start, "start", errors);
        RotationRules.CheckInstant(spec.End, "end", errors);
        if (spec.End <= spec.Start)
        {
            errors.Add("end", "must be after start.");
        }
        else if (spec.End - spec.Start > MaxLength)
        {
            errors.Add("end", "time off may cover at most one year.");
        }

        RotationRules.CheckOptionalText(spec.Reason, "reason", errors);
    }

    /// <summary>The member's email as the rotation spells it, or null when no layer of the rotation has them.</summary>
    public static string? FindMember(RotationSettings settings, string email)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Layers
            .SelectMany(l => l.Members)
            .FirstOrDefault(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase))?.Email;
    }
}
