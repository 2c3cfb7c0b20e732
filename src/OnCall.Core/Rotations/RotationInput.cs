using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.Errors;

namespace OnCall.Core.Rotations;

// The wire shape of a rotation as clients send it. Everything is a nullable string so that every rule,
// including "required" and "well-formed", is checked here and reported with the JSON path of the field.
public sealed record MemberInput(string? Name, string? Email);

public sealed record SupervisorInput(string? Name, string? Email, string? Handle);

public sealed record LayerInput(
    string? Name,
    string? ShiftLength,
    string? HandoffTime,
    string? Anchor,
    string? Offset,
    IReadOnlyList<MemberInput?>? Members);

public sealed record RotationInput(
    string? Id,
    string? Name,
    string? TimeZone,
    SupervisorInput? Supervisor,
    string? HandoffGrace,
    string? CalendarId,
    string? Horizon,
    IReadOnlyList<LayerInput?>? Layers)
{
    public RotationSettings ToSettings(string id) => InputRules.ParseRotation(this, id);
}

public sealed record OverrideInput(string? Layer, string? Start, string? End, MemberInput? Member, string? Reason);

internal static partial class InputRules
{
    public const int MaxLayers = 10;
    public const int MaxMembers = 200;
    public const int MaxText = 200;
    public const int MinYear = 1970;
    public const int MaxYear = 2200;
    public static readonly Period MaxHorizon = Period.FromDays(366);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex EmailPattern();

    public static string Id(string? id, string field)
    {
        if (id is null || !IdPattern().IsMatch(id))
        {
            throw new ValidationFailedException(field, "must be 1–63 lowercase letters, digits or '-', starting with a letter or digit.");
        }

        return id;
    }

    public static RotationSettings ParseRotation(RotationInput input, string id)
    {
        Id(id, "id");
        if (input.Id is not null && input.Id != id)
        {
            throw new ValidationFailedException("id", $"'{input.Id}' does not match the id in the URL ('{id}').");
        }

        var zoneId = Required(input.TimeZone, "timeZone");
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
            ?? throw new ValidationFailedException("timeZone", $"'{zoneId}' is not an IANA time zone (e.g. 'Europe/Berlin').");

        var supervisor = input.Supervisor ?? throw new ValidationFailedException("supervisor", "is required.");
        var grace = input.HandoffGrace is null ? RotationSettings.DefaultHandoffGrace : ParseDuration(input.HandoffGrace, "handoffGrace");
        if (grace < NodaTime.Duration.Zero || grace > NodaTime.Duration.FromDays(1))
        {
            throw new ValidationFailedException("handoffGrace", "must be between PT0M and P1D.");
        }

        var horizon = input.Horizon is null ? RotationSettings.DefaultHorizon : ParsePeriod(input.Horizon, "horizon");
        var horizonDays = WholeDays(horizon, "horizon");
        if (horizonDays <= 0 || horizonDays > MaxHorizon.Days)
        {
            throw new ValidationFailedException("horizon", "must be between P1D and one year (P366D).");
        }

        if (input.Layers is null || input.Layers.Count == 0)
        {
            throw new ValidationFailedException("layers", "at least one layer is required.");
        }

        if (input.Layers.Count > MaxLayers)
        {
            throw new ValidationFailedException("layers", $"at most {MaxLayers} layers are allowed.");
        }

        var layers = input.Layers.Select((l, i) => ParseLayer(l, $"layers[{i}]")).ToList();
        var duplicate = layers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ValidationFailedException($"layers[{layers.FindLastIndex(l => l.Name == duplicate.Key)}].name", $"layer '{duplicate.Key}' is declared twice.");
        }

        return new RotationSettings(
            id,
            Text(input.Name, "name"),
            zone,
            new Supervisor(Text(supervisor.Name, "supervisor.name"), Email(supervisor.Email, "supervisor.email"), OptionalText(supervisor.Handle, "supervisor.handle")),
            grace,
            OptionalText(input.CalendarId, "calendarId"),
            Period.FromDays(horizonDays),
            layers);
    }

    public static Override ParseOverride(OverrideInput input, RotationSettings rotation, string overrideId, Instant now)
    {
        var layer = Required(input.Layer, "layer");
        if (rotation.FindLayer(layer) is null)
        {
            throw new ValidationFailedException("layer", $"rotation '{rotation.Id}' has no layer '{layer}'.");
        }

        var start = ParseInstant(input.Start, "start");
        var end = ParseInstant(input.End, "end");
        if (end <= start)
        {
            throw new ValidationFailedException("end", "must be after start.");
        }

        if (end - start > NodaTime.Duration.FromDays(MaxHorizon.Days))
        {
            throw new ValidationFailedException("end", "an override may cover at most one year.");
        }

        return new Override(overrideId, layer, start, end, ParseMember(input.Member, "member"), OptionalText(input.Reason, "reason"), now);
    }

    public static Instant ParseInstant(string? value, string field)
    {
        var result = InstantPattern.ExtendedIso.Parse(Required(value, field));

        // Accept offsets too ("2026-11-02T10:00:00-05:00"); JSON we write is always UTC.
        var offset = result.Success ? null : OffsetDateTimePattern.ExtendedIso.Parse(value!);
        var instant = result.Success ? result.Value
            : offset!.Success ? offset.Value.ToInstant()
            : throw new ValidationFailedException(field, $"'{value}' is not an ISO-8601 instant such as 2026-11-02T15:00:00Z.");
        return InRange(instant.InUtc().Date) ? instant : throw OutOfRange(field);
    }

    // Far enough for any rotation, near enough that local-time arithmetic never overflows.
    private static bool InRange(LocalDate date) => date.Year is >= MinYear and <= MaxYear;

    private static ValidationFailedException OutOfRange(string field) =>
        new(field, $"must be between the years {MinYear} and {MaxYear}.");

    private static LayerDefinition ParseLayer(LayerInput? input, string path)
    {
        if (input is null)
        {
            throw new ValidationFailedException(path, "is required.");
        }

        var name = Id(input.Name, $"{path}.name");
        var length = ParsePeriod(Required(input.ShiftLength, $"{path}.shiftLength"), $"{path}.shiftLength");
        var lengthHours = WholeHours(length, $"{path}.shiftLength");
        if (lengthHours <= 0 || lengthHours > MaxHorizon.Days * 24L)
        {
            throw new ValidationFailedException($"{path}.shiftLength", "must be a whole number of days or hours from PT1H to one year (e.g. P7D, PT12H).");
        }

        var offset = input.Offset is null ? NodaTime.Period.Zero : ParsePeriod(input.Offset, $"{path}.offset");
        var offsetHours = WholeHours(offset, $"{path}.offset");
        if (offsetHours < 0 || offsetHours > MaxHorizon.Days * 24L)
        {
            throw new ValidationFailedException($"{path}.offset", "must be between PT0H and one year.");
        }

        var handoff = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(Required(input.HandoffTime, $"{path}.handoffTime"));
        if (!handoff.Success)
        {
            throw new ValidationFailedException($"{path}.handoffTime", $"'{input.HandoffTime}' is not a local time HH:mm.");
        }

        var anchor = LocalDatePattern.Iso.Parse(Required(input.Anchor, $"{path}.anchor"));
        if (!anchor.Success)
        {
            throw new ValidationFailedException($"{path}.anchor", $"'{input.Anchor}' is not a date yyyy-MM-dd.");
        }

        if (!InRange(anchor.Value))
        {
            throw OutOfRange($"{path}.anchor");
        }

        if (input.Members is null || input.Members.Count == 0)
        {
            throw new ValidationFailedException($"{path}.members", "at least one member is required.");
        }

        if (input.Members.Count > MaxMembers)
        {
            throw new ValidationFailedException($"{path}.members", $"at most {MaxMembers} members are allowed.");
        }

        var members = input.Members.Select((m, i) => ParseMember(m, $"{path}.members[{i}]")).ToList();
        return new LayerDefinition(name, members, Hours(lengthHours), handoff.Value, anchor.Value, Hours(offsetHours));
    }

    private static Member ParseMember(MemberInput? input, string path) =>
        input is null
            ? throw new ValidationFailedException(path, "is required.")
            : new Member(Text(input.Name, $"{path}.name"), Email(input.Email, $"{path}.email"));

    // Whole days are kept as days so they read back as "P7D", not "PT168H".
    private static Period Hours(long hours) =>
        hours % 24 == 0 ? NodaTime.Period.FromDays((int)(hours / 24)) : NodaTime.Period.FromHours(hours);

    private static Period ParsePeriod(string value, string field)
    {
        var result = PeriodPattern.NormalizingIso.Parse(value);
        return result.Success
            ? result.Value
            : throw new ValidationFailedException(field, $"'{value}' is not an ISO-8601 duration such as P7D or PT12H.");
    }

    private static Duration ParseDuration(string value, string field)
    {
        var period = ParsePeriod(value, field);
        if (period.Years != 0 || period.Months != 0)
        {
            throw new ValidationFailedException(field, "must not use years or months.");
        }

        return period.ToDuration();
    }

    private static long WholeHours(Period period, string field)
    {
        if (period.Years != 0 || period.Months != 0 || period.Minutes != 0 || period.Seconds != 0
            || period.Milliseconds != 0 || period.Ticks != 0 || period.Nanoseconds != 0)
        {
            throw new ValidationFailedException(field, "must be a whole number of weeks, days or hours (e.g. P7D, PT12H).");
        }

        return period.Weeks * 7L * 24 + period.Days * 24L + period.Hours;
    }

    private static int WholeDays(Period period, string field)
    {
        var hours = WholeHours(period, field);
        return hours % 24 == 0
            ? (int)Math.Min(int.MaxValue, hours / 24)
            : throw new ValidationFailedException(field, "must be a whole number of weeks or days (e.g. P8W).");
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new ValidationFailedException(field, "is required.") : value;

    private static string Text(string? value, string field)
    {
        var text = Required(value, field).Trim();
        return text.Length <= MaxText ? text : throw new ValidationFailedException(field, $"must be at most {MaxText} characters.");
    }

    private static string? OptionalText(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? null : Text(value, field);

    private static string Email(string? value, string field)
    {
        var email = Text(value, field);
        return EmailPattern().IsMatch(email)
            ? email
            : throw new ValidationFailedException(field, $"'{email}' is not an email address.");
    }
}
