using NodaTime;
using NodaTime.Text;

namespace OnCall.Core.Time;

/// <summary>
/// The one way an instant is written, over HTTP, in storage and in messages: ISO-8601 in UTC with as many fractional
/// digits as the instant has (none for a whole second). It is the pattern NodaTime's JSON converter uses (see
/// <see cref="Serialization.OnCallJson"/>), so text outside JSON (table keys, messages, links) matches JSON exactly.
/// </summary>
public static class InstantText
{
    /// <summary>NodaTime's extended ISO pattern; it also reads the whole-second form that older rows hold.</summary>
    public static InstantPattern Pattern => InstantPattern.ExtendedIso;

    public static string Format(Instant instant) => Pattern.Format(instant);

    public static Instant Parse(string text) => Pattern.Parse(text).Value;

    /// <summary>
    /// The instant floored to its second, in the same pattern: for ids and hashes made from instants, which were always
    /// whole seconds and must not change (a conflict clipped to "now" keeps one id within its second).
    /// </summary>
    public static string FormatWholeSeconds(Instant instant) => Format(Instant.FromUnixTimeSeconds(instant.ToUnixTimeSeconds()));
}
