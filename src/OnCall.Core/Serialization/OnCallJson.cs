using System.Text.Json;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace OnCall.Core.Serialization;

/// <summary>
/// NodaTime in JSON, configured once for every serializer of the app (HTTP responses, stored documents): instants as
/// <see cref="Time.InstantText"/> writes them, zones by IANA id.
/// </summary>
public static class OnCallJson
{
    /// <summary>Adds NodaTime's converters (IANA zones from TZDB) to <paramref name="options"/>; returns it.</summary>
    public static JsonSerializerOptions WithNodaTime(this JsonSerializerOptions options) =>
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
}
