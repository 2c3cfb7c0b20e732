using System.Text.RegularExpressions;
using NodaTime;
using OnCall.Core.Errors;

namespace OnCall.Core.Rotations;

/// <summary>
/// What makes a rotation, a layer or an override acceptable, with the JSON field names problem+json reports.
/// The HTTP edge parses the wire format and then asks these rules, so every invalid field is reported at once;
/// the use cases ask them again, so no caller can store what they refuse.
/// </summary>
public static partial class RotationRules
{
    public const int MaxLayers = 10;
    public const int MaxMembersPerLayer = 200;

    /// <summary>Distinct people (name and email) across all layers: keeps every valid rotation storable.</summary>
    public const int MaxPeople = 200;

    public const int MaxText = 200;
    public const int MaxEmail = 254;
    public const int MinYear = 1970;
    public const int MaxYear = 2200;
    public const int MaxHorizonDays = 366;
    public const long MaxShiftHours = MaxHorizonDays * 24L;
    public static readonly Duration MaxHandoffGrace = Duration.FromDays(1);
    public static readonly Duration MaxOverride = Duration.FromDays(MaxHorizonDays);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex EmailPattern();

    /// <summary>Ids of rotations, layers and overrides appear in URLs and table keys.</summary>
    public static string RequireId(string? id, string field) =>
        id is not null && IdPattern().IsMatch(id)
            ? id
            : throw new ValidationFailedException(field, IdMessage);

    public static void Validate(RotationSettings settings)
    {
        var errors = new ValidationErrors();
        Check(settings, errors);
        errors.ThrowIfAny();
    }

    public static void Check(RotationSettings settings, ValidationErrors errors)
    {
        CheckId(settings.Id, "id", errors);
        CheckText(settings.Name, "name", errors);
        CheckText(settings.Supervisor.Name, "supervisor.name", errors);
        CheckEmail(settings.Supervisor.Email, "supervisor.email", errors);
        CheckOptionalText(settings.Supervisor.Handle, "supervisor.handle", errors);
        CheckOptionalText(settings.CalendarId, "calendarId", errors, MaxEmail);
        if (settings.HandoffGrace < Duration.Zero || settings.HandoffGrace > MaxHandoffGrace)
        {
            errors.Add("handoffGrace", "must be between PT0M and P1D.");
        }

        var horizonDays = WholeDays(settings.Horizon);
        if (horizonDays is not (> 0 and <= MaxHorizonDays))
        {
            errors.Add("horizon", "must be a whole number of days or weeks between P1D and one year (P366D).");
        }

        if (settings.Layers.Count == 0)
        {
            errors.Add("layers", "at least one layer is required.");
        }
        else if (settings.Layers.Count > MaxLayers)
        {
            errors.Add("layers", $"at most {MaxLayers} layers are allowed.");
        }

        for (var i = 0; i < settings.Layers.Count; i++)
        {
            CheckLayer(settings.Layers[i], $"layers[{i}]", errors);
            if (settings.Layers.Take(i).Any(l => l.Name == settings.Layers[i].Name))
            {
                errors.Add($"layers[{i}].name", $"layer '{settings.Layers[i].Name}' is declared twice.");
            }
        }

        var people = settings.Layers.SelectMany(l => l.Members).Distinct().Count();
        if (people > MaxPeople)
        {
            errors.Add("layers", $"at most {MaxPeople} different people may take part in one rotation ({people} do).");
        }
    }

    public static void CheckLayer(LayerDefinition layer, string path, ValidationErrors errors)
    {
        CheckId(layer.Name, $"{path}.name", errors);
        var length = WholeHours(layer.ShiftLength);
        if (length is not (> 0 and <= MaxShiftHours))
        {
            errors.Add($"{path}.shiftLength", "must be a whole number of days or hours from PT1H to one year (e.g. P7D, PT12H).");
        }

        var offset = WholeHours(layer.Offset);
        if (offset is not (>= 0 and <= MaxShiftHours))
        {
            errors.Add($"{path}.offset", "must be a whole number of days or hours between PT0H and one year.");
        }

        if (!InRange(layer.Anchor))
        {
            errors.Add($"{path}.anchor", YearRangeMessage);
        }

        if (layer.HandoffTime.Second != 0 || layer.HandoffTime.TickOfSecond != 0)
        {
            errors.Add($"{path}.handoffTime", "must be a whole minute (HH:mm).");
        }

        if (layer.Members.Count == 0)
        {
            errors.Add($"{path}.members", "at least one member is required.");
        }
        else if (layer.Members.Count > MaxMembersPerLayer)
        {
            errors.Add($"{path}.members", $"at most {MaxMembersPerLayer} members are allowed.");
        }

        for (var i = 0; i < layer.Members.Count; i++)
        {
            CheckMember(layer.Members[i], $"{path}.members[{i}]", errors);
        }
    }

    /// <summary>Rules of an override that hold whatever rotation it is for.</summary>
    public static void CheckOverride(OverrideSpec spec, ValidationErrors errors)
    {
        CheckId(spec.Layer, "layer", errors);
        CheckInstant(spec.Start, "start", errors);
        CheckInstant(spec.End, "end", errors);
        if (!IsWholeMinute(spec.Start))
        {
            errors.Add("start", "must be a whole minute.");
        }

        if (!IsWholeMinute(spec.End))
        {
            errors.Add("end", "must be a whole minute.");
        }

        if (spec.End <= spec.Start)
        {
            errors.Add("end", "must be after start.");
        }
        else if (spec.End - spec.Start > MaxOverride)
        {
            errors.Add("end", "an override may cover at most one year.");
        }

        CheckMember(spec.Member, "member", errors);
        CheckOptionalText(spec.Reason, "reason", errors);
    }

    public static void CheckMember(Member member, string path, ValidationErrors errors)
    {
        CheckText(member.Name, $"{path}.name", errors);
        CheckEmail(member.Email, $"{path}.email", errors);
    }

    /// <summary>Instants far enough for any rotation, near enough that local-time arithmetic never overflows.</summary>
    public static void CheckInstant(Instant instant, string field, ValidationErrors errors)
    {
        if (!InRange(instant.InUtc().Date))
        {
            errors.Add(field, YearRangeMessage);
        }
    }

    public static Instant RequireInstant(Instant instant, string field)
    {
        var errors = new ValidationErrors();
        CheckInstant(instant, field, errors);
        errors.ThrowIfAny();
        return instant;
    }

    public static void CheckText(string? value, string field, ValidationErrors errors, int maxLength = MaxText)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required.");
        }
        else
        {
            CheckOptionalText(value, field, errors, maxLength);
        }
    }

    /// <summary>
    /// Text ends up in ICS feeds, calendar events and chat messages: RFC 5545 forbids control characters, and
    /// they have no business in a name anyway.
    /// </summary>
    public static void CheckOptionalText(string? value, string field, ValidationErrors errors, int maxLength = MaxText)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters.");
        }

        if (value.Any(char.IsControl))
        {
            errors.Add(field, "must not contain control characters.");
        }
    }

    public static void CheckEmail(string? value, string field, ValidationErrors errors)
    {
        CheckText(value, field, errors, MaxEmail);
        if (!string.IsNullOrWhiteSpace(value) && !EmailPattern().IsMatch(value))
        {
            errors.Add(field, $"'{value}' is not an email address.");
        }
    }

    /// <summary>Whole local hours of a period (days count 24), or null when it has months, years or anything below an hour.</summary>
    public static long? WholeHours(Period period)
    {
        if (period.Years != 0 || period.Months != 0 || period.Minutes != 0 || period.Seconds != 0
            || period.Milliseconds != 0 || period.Ticks != 0 || period.Nanoseconds != 0)
        {
            return null;
        }

        // Int128: a period such as PT9223372036854775807H must be refused, not wrap around.
        var hours = (Int128)period.Weeks * 7 * 24 + (Int128)period.Days * 24 + period.Hours;
        return hours > long.MaxValue || hours < long.MinValue ? null : (long)hours;
    }

    /// <summary>The canonical period for whole hours: whole days stay days, so "P7D" reads back as "P7D", not "PT168H".</summary>
    public static Period HoursPeriod(long hours) =>
        hours % 24 == 0 ? Period.FromDays((int)(hours / 24)) : Period.FromHours(hours);

    private static long? WholeDays(Period period) => WholeHours(period) is { } hours && hours % 24 == 0 ? hours / 24 : null;

    public static void CheckId(string? id, string field, ValidationErrors errors)
    {
        if (id is null || !IdPattern().IsMatch(id))
        {
            errors.Add(field, IdMessage);
        }
    }

    public static bool IsWholeMinute(Instant instant) => instant.ToUnixTimeTicks() % NodaConstants.TicksPerMinute == 0;

    private static bool InRange(LocalDate date) => date.Year is >= MinYear and <= MaxYear;

    private const string IdMessage = "must be 1–63 lowercase letters, digits or '-', starting with a letter or digit.";

    private static readonly string YearRangeMessage = $"must be between the years {MinYear} and {MaxYear}.";
}

/// <summary>An override as requested, before it has an id: someone else covers a layer for a while.</summary>
public sealed record OverrideSpec(string Layer, Instant Start, Instant End, Member Member, string? Reason);
