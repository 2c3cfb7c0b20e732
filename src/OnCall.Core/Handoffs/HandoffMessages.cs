using System.Globalization;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.Notifications;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Core.Handoffs;

/// <summary>What people are told about a handoff, in words a tired engineer reads at a glance.</summary>
public static class HandoffMessages
{

    public static Notification Missed(Handoff h, Rotation? rotation, Instant now, Uri? link) => new(
        $"Missed handoff: {RotationName(h, rotation)} / {h.Layer}",
        [
            $"{h.Outgoing.Name} was to hand {h.Layer} over to {h.Incoming.Name} at {Local(h.Due, rotation)}; nobody has "
            + $"acknowledged it, {Span(now - h.Due)} late.",
            $"{SupervisorCall(rotation)}: please make sure someone has taken over. {h.Outgoing.Name} stays on call until then.",
            OpenItems(h),
            .. NoLinkLine(h, link),
        ])
    {
        Facts = Facts(h, rotation, now),
        Link = link is null ? null : new NotificationLink("Acknowledge the handoff", link),
    };

    public static Notification Escalation(Handoff h, Rotation? rotation, Instant now, Uri? link) => Missed(h, rotation, now, link) with
    {
        Title = $"Still unacknowledged: {RotationName(h, rotation)} / {h.Layer}",
    };

    public static Notification Resolved(Handoff h, Rotation? rotation) => new(
        $"Handoff acknowledged late: {RotationName(h, rotation)} / {h.Layer}",
        [
            $"{h.AcknowledgedBy} acknowledged the handoff from {h.Outgoing.Name} to {h.Incoming.Name} at "
            + $"{Local(h.AcknowledgedAt ?? h.Due, rotation)}, {Span(h.Lateness ?? Duration.Zero)} after it was due. Resolved.",
        ])
    {
        Facts = [
            new("Rotation", RotationName(h, rotation)),
            new("Layer", h.Layer),
            new("Due", Local(h.Due, rotation)),
            new("Late by", Span(h.Lateness ?? Duration.Zero))],
    };

    public static Notification Reminder(Handoff h, Rotation? rotation, Uri? link) => new(
        $"You go on call: {RotationName(h, rotation)} / {h.Layer}",
        [
            $"{h.Incoming.Name}, you take {h.Layer} over from {h.Outgoing.Name} at {Local(h.Due, rotation)}. Please "
            + "acknowledge when you have taken over.",
            OpenItems(h),
            .. NoLinkLine(h, link),
        ])
    {
        Facts = [new("Rotation", RotationName(h, rotation)), new("Layer", h.Layer), new("Due", Local(h.Due, rotation))],
        Link = link is null ? null : new NotificationLink("I've taken over", link),
    };

    /// <summary>"1 h 05 min", "45 min", "2 d 3 h".</summary>
    public static string Span(Duration duration)
    {
        var minutes = (long)Math.Max(0, duration.TotalMinutes);
        var (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
        return days > 0 ? $"{days} d {hours} h" : hours > 0 ? $"{hours} h {mins:00} min" : $"{mins} min";
    }

    public static string Local(Instant instant, Rotation? rotation)
    {
        var zone = rotation?.Settings.TimeZone ?? DateTimeZone.Utc;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{LocalPattern.Format(instant.InZone(zone).LocalDateTime)} {zone.Id} ({InstantText.Format(instant)})");
    }

    private static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM uuuu HH:mm");

    private static IReadOnlyList<NotificationFact> Facts(Handoff h, Rotation? rotation, Instant now) =>
    [
        new("Rotation", RotationName(h, rotation)),
        new("Layer", h.Layer),
        new("Hands over", $"{h.Outgoing.Name} ({h.Outgoing.Email}) → {h.Incoming.Name} ({h.Incoming.Email})"),
        new("Due", Local(h.Due, rotation)),
        new("Late by", Span(now - h.Due)),
        new("Open items", h.CarriedOver.Count.ToString(CultureInfo.InvariantCulture)),
    ];

    private static string OpenItems(Handoff h) =>
        h.CarriedOver.Count == 0 ? "Open items: none." : $"Open items: {string.Join("; ", h.CarriedOver)}.";

    private static IEnumerable<string> NoLinkLine(Handoff h, Uri? link) =>
        link is null
            ? [$"No acknowledge link: OnCall:Handoffs:LinkKey is not set; acknowledge with POST /api/handoffs/{h.Id}/acknowledge."]
            : [];

    private static string SupervisorCall(Rotation? rotation) =>
        rotation?.Settings.Supervisor is { } s ? s.Handle ?? s.Name : "Supervisor";

    private static string RotationName(Handoff h, Rotation? rotation) => rotation?.Settings.Name ?? h.RotationId;
}
