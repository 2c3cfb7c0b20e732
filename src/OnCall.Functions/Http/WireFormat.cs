using NodaTime;
using NodaTime.Text;
using OnCall.Core.Errors;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Functions.Http;

/// <summary>
/// The syntax of the HTTP contract: ISO-8601 instants, durations and dates, <c>HH:mm</c> local times, IANA
/// zones. A value that does not parse is reported in <see cref="ValidationErrors"/> and replaced by a neutral
/// valid one, so the domain rules can still judge every other field and the client hears of all at once.
/// </summary>
public static class WireFormat
{
    // Far beyond any rule's range, near enough that converting never overflows.
    private static readonly Int128 MaxDurationNanoseconds = (Int128)Duration.FromDays(100 * 366).TotalNanoseconds;

    public static string Format(Period period) => PeriodPattern.NormalizingIso.Format(period);

    /// <summary>A period in the units it was given in (<c>P8W</c> stays <c>P8W</c>).</summary>
    public static string FormatAsSent(Period period) => PeriodPattern.Roundtrip.Format(period);

    public static string Format(Duration duration) => PeriodPattern.NormalizingIso.Format(Period.FromSeconds((long)duration.TotalSeconds));

    public static string Format(LocalTime time) => LayerDefinition.HandoffTimePattern.Format(time);

    public static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>An instant in UTC or with an offset (<c>2026-11-02T10:00:00-05:00</c>); JSON we write is always UTC.</summary>
    public static Instant? ParseInstant(string? value, string field, ValidationErrors errors)
    {
        if (Required(value, field, errors) is not { } text)
        {
            return null;
        }

        var utc = InstantText.Pattern.Parse(text);
        if (utc.Success)
        {
            return utc.Value;
        }

        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text);
        if (offset.Success)
        {
            return offset.Value.ToInstant();
        }

        errors.Add(field, $"'{text}' is not an ISO-8601 instant such as 2026-11-02T15:00:00Z.");
        return null;
    }

    /// <summary>A query parameter's instant, checked at once: queries have one or two fields.</summary>
    public static Instant? QueryInstant(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        var errors = new ValidationErrors();
        var instant = ParseInstant(value, field, errors);
        errors.ThrowIfAny();
        return RotationRules.RequireInstant(instant!.Value, field);
    }

    public static Period? ParsePeriod(string? value, string field, ValidationErrors errors)
    {
        if (Required(value, field, errors) is not { } text)
        {
            return null;
        }

        var result = PeriodPattern.NormalizingIso.Parse(text);
        if (!result.Success)
        {
            errors.Add(field, $"'{text}' is not an ISO-8601 duration such as P7D or PT12H.");
            return null;
        }

        return result.Value;
    }

    /// <summary>
    /// An exact duration. Checked for range before it is converted: <c>Period.ToDuration</c> overflows on
    /// values such as <c>P106752D</c>, which must be a 400, not a 500. Out-of-range values come back clamped,
    /// for the domain rules to refuse.
    /// </summary>
    public static Duration? ParseDuration(string? value, string field, ValidationErrors errors)
    {
        if (ParsePeriod(value, field, errors) is not { } period)
        {
            return null;
        }

        if (period.Years != 0 || period.Months != 0)
        {
            errors.Add(field, "must not use years or months.");
            return null;
        }

        var nanoseconds = (((Int128)period.Weeks * 7 + period.Days) * 24 + period.Hours) * 3_600_000_000_000
            + (Int128)period.Minutes * 60_000_000_000 + (Int128)period.Seconds * 1_000_000_000
            + (Int128)period.Milliseconds * 1_000_000 + (Int128)period.Ticks * 100 + period.Nanoseconds;
        var clamped = Int128.Clamp(nanoseconds, -MaxDurationNanoseconds, MaxDurationNanoseconds);
        return NodaTime.Duration.FromNanoseconds((long)clamped);
    }

    public static LocalTime? ParseLocalTime(string? value, string field, ValidationErrors errors)
    {
        if (Required(value, field, errors) is not { } text)
        {
            return null;
        }

        var result = LayerDefinition.HandoffTimePattern.Parse(text);
        if (!result.Success)
        {
            errors.Add(field, $"'{text}' is not a local time HH:mm.");
            return null;
        }

        return result.Value;
    }

    public static LocalDate? ParseLocalDate(string? value, string field, ValidationErrors errors)
    {
        if (Required(value, field, errors) is not { } text)
        {
            return null;
        }

        var result = LocalDatePattern.Iso.Parse(text);
        if (!result.Success)
        {
            errors.Add(field, $"'{text}' is not a date yyyy-MM-dd.");
            return null;
        }

        return result.Value;
    }

    public static DateTimeZone? ParseZone(string? value, string field, ValidationErrors errors)
    {
        if (Required(value, field, errors) is not { } text)
        {
            return null;
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(text);
        if (zone is null)
        {
            errors.Add(field, $"'{text}' is not an IANA time zone (e.g. 'Europe/Berlin').");
        }

        return zone;
    }

    /// <summary>
    /// A query parameter, or null when the request has none (query values are read here, not bound: the host binds only
    /// route values).
    /// </summary>
    public static string? Query(HttpRequest request, string name) =>
        request?.Query[name] is { Count: > 0 } value ? value.ToString() : null;

    /// <summary>Text as the domain sees it: trimmed, and empty when absent so the rules say "is required".</summary>
    public static string Text(string? value) => value?.Trim() ?? "";

    public static string? OptionalText(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Required(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required.");
            return null;
        }

        return value;
    }
}
