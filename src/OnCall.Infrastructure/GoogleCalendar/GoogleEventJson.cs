using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.CalendarSync;

namespace OnCall.Infrastructure.GoogleCalendar;

/// <summary>Calendar v3 <c>Event</c> resources, as far as the sync writes and reads them.</summary>
internal static class GoogleEventJson
{
    /// <summary>Our private extended properties: which rotation and shift an event is, and the content it was written with.</summary>
    public const string RotationProperty = "oncallRotation";
    public const string ShiftProperty = "oncallShift";
    public const string HashProperty = "oncallHash";

    /// <summary>
    /// The body of an insert (with <c>id</c>) or a patch. Every field we own is sent, attendees as an empty list when
    /// off, so a patch puts back whatever was changed by hand; <c>status: confirmed</c> restores a deleted event.
    /// </summary>
    public static JsonObject Body(DesiredEvent e, bool withId)
    {
        var content = e.Content;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(content.TimeZone) ?? DateTimeZone.Utc;
        var body = new JsonObject();
        if (withId)
        {
            body["id"] = e.Id;
        }

        body["status"] = "confirmed";
        body["summary"] = content.Summary;
        body["description"] = content.Description;
        body["start"] = When(content.Start, zone, content.TimeZone);
        body["end"] = When(content.End, zone, content.TimeZone);
        body["transparency"] = content.Transparent ? "transparent" : "opaque";
        body["attendees"] = new JsonArray([.. content.Attendees.Select(a => (JsonNode)new JsonObject { ["email"] = a })]);
        body["extendedProperties"] = new JsonObject
        {
            ["private"] = new JsonObject
            {
                [RotationProperty] = e.RotationId,
                [ShiftProperty] = e.ShiftKey,
                [HashProperty] = e.ContentHash,
            },
        };
        return body;
    }

    public static RemoteEvent Read(JsonElement item)
    {
        var id = item.GetProperty("id").GetString()!;
        var cancelled = Text(item, "status") == "cancelled";
        string? rotation = null;
        if (item.TryGetProperty("extendedProperties", out var props) && props.TryGetProperty("private", out var own))
        {
            rotation = Text(own, RotationProperty);
        }

        return new RemoteEvent(id, cancelled, rotation, cancelled ? null : Content(item));
    }

    private static JsonObject When(Instant instant, DateTimeZone zone, string zoneId) => new()
    {
        ["dateTime"] = OffsetDateTimePattern.Rfc3339.Format(instant.InZone(zone).ToOffsetDateTime()),
        ["timeZone"] = zoneId,
    };

    /// <summary>
    /// The content as we compare it; null when it is not a timed event (someone made it all-day), which then differs
    /// from any shift.
    /// </summary>
    private static EventContent? Content(JsonElement item)
    {
        if (!item.TryGetProperty("start", out var start) || !item.TryGetProperty("end", out var end)
            || Instant(start) is not { } from || Instant(end) is not { } to)
        {
            return null;
        }

        var attendees = item.TryGetProperty("attendees", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(a => Text(a, "email")).OfType<string>().ToList()
            : [];
        return new EventContent(
            Text(item, "summary") ?? "",
            Text(item, "description") ?? "",
            from,
            to,
            Text(start, "timeZone") ?? "",
            Text(item, "transparency") == "transparent",
            attendees);
    }

    private static Instant? Instant(JsonElement when) =>
        Text(when, "dateTime") is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? NodaTime.Instant.FromDateTimeOffset(parsed)
            : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
