using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Feeds;

/// <summary>Writes a rotation's feed as RFC 5545 iCalendar with Ical.Net.</summary>
public sealed class IcalFeedWriter : ICalendarFeedWriter
{

    public string Write(RotationSettings rotation, IReadOnlyList<FeedEntry> entries)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//OnCallFunctions//On-call shifts//EN", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", rotation.Name);
        calendar.AddProperty("X-WR-CALDESC", $"On-call shifts of {rotation.Name}");
        calendar.AddProperty("X-WR-TIMEZONE", rotation.TimeZone.Id);

        // Calendar apps poll at their own pace; this is a hint for those that honour it.
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        calendar.AddProperty("REFRESH-INTERVAL;VALUE=DURATION", "PT1H");

        foreach (var entry in entries)
        {
            calendar.Events.Add(ToEvent(rotation, entry));
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static CalendarEvent ToEvent(RotationSettings rotation, FeedEntry entry)
    {
        var stamp = Utc(entry.LastModified);
        return new CalendarEvent
        {
            Uid = $"{entry.EventId}@oncallfunctions",
            Summary = ShiftText.Summary(rotation, entry),
            Description = ShiftText.Description(rotation, entry),
            DtStart = Utc(entry.Start),
            DtEnd = Utc(entry.End),
            DtStamp = stamp,
            LastModified = stamp,
            Sequence = entry.Sequence,
            Status = entry.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,

            // A shift is not a meeting: it must not block the engineer's free/busy time.
            Transparency = TransparencyType.Transparent,
        };
    }

    private static CalDateTime Utc(Instant instant) => new(instant.ToDateTimeUtc(), CalDateTime.UtcTzId);
}
