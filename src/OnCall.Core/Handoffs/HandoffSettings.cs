using NodaTime;
using OnCall.Core.Ports;

namespace OnCall.Core.Handoffs;

/// <summary>How handoffs are tracked; bound from <c>OnCall:Handoffs</c> by the host.</summary>
/// <param name="ReminderLead">How long before a boundary the incoming engineer is reminded.</param>
public sealed record HandoffSettings(Duration ReminderLead)
{
    public static readonly Duration DefaultReminderLead = Duration.FromHours(12);

    /// <summary>How far around now the planner looks for boundaries, so one missed while the app was down is still planned.</summary>
    public static readonly Duration PlanWindow = Duration.FromHours(24);

    /// <summary>How early an acknowledgement is accepted.</summary>
    public static readonly Duration AcknowledgeFrom = Duration.FromHours(1);

    /// <summary>
    /// How far back the missed-handoff scan looks: the longest grace (one day) times three for the escalation, plus a
    /// day for retries. Everything older is settled, so the scan never reads history.
    /// </summary>
    public static readonly Duration ScanLookback = Duration.FromDays(4);
}

/// <summary>Makes the link someone follows to acknowledge a handoff as <c>email</c>; null when links are not configured.</summary>
public interface IHandoffLinks
{
    /// <summary>A link that acknowledges <paramref name="handoff"/> as <paramref name="email"/>; null when links are off.</summary>
    Uri? AcknowledgeLink(Handoff handoff, DateTimeZone zone, string email);

    /// <summary>Whether a link's parts, as they came back, are one this server signed and that still works.</summary>
    LinkCheck Check(string id, string? email, string? expires, string? signature, Instant now);
}

public static class HandoffLinkRules
{
    /// <summary>A link works until the end of the day after the handoff's local day, in the rotation's zone.</summary>
    public static Instant ExpiryOf(Handoff handoff, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        return handoff.Due.InZone(zone).Date.PlusDays(2).AtStartOfDayInZone(zone).ToInstant();
    }
}
