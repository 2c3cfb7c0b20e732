using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace OnCall.FunctionsHostFake;

/// <summary>
/// The host's conversions of binding values into <see cref="TypedData"/>, reproduced without Newtonsoft.Json:
/// azure-functions-host src/WebJobs.Script.Grpc/MessageExtensions/GrpcMessageConversionExtensions.cs (ToRpc, ToRpcDefault)
/// and src/WebJobs.Script/Utility.cs (ApplyBindingData).
/// </summary>
internal static partial class HostConversions
{
    // Newtonsoft's default escaping: quotes, backslash and control characters only; no HTML or non-ASCII escaping.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonDocumentOptions LenientParse = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>ToRpc: <c>string str =&gt; new TypedData { String = str }</c>.</summary>
    public static TypedData String(string value) => new() { String = value };

    /// <summary>ToRpc: <c>byte[] arr =&gt; new TypedData { Bytes = ... }</c>.</summary>
    public static TypedData Bytes(byte[] value) => new() { Bytes = Google.Protobuf.ByteString.CopyFrom(value) };

    /// <summary>ToRpcDefault for a long/int: <c>JsonConvert.SerializeObject(2L)</c> is <c>2</c>, sent as Json.</summary>
    public static TypedData JsonNumber(long value) => new() { Json = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>ToRpcDefault for a DateTimeOffset: a quoted ISO 8601 string with its offset, sent as Json.</summary>
    public static TypedData JsonDate(DateTimeOffset value) => new() { Json = Quote(NewtonsoftDate(value)) };

    /// <summary>ToRpcDefault for a Dictionary&lt;string, string&gt; (the HTTP trigger's Query and Headers), sent as Json.</summary>
    public static TypedData JsonDictionary(IEnumerable<KeyValuePair<string, string>> values)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (KeyValuePair<string, string> pair in values)
            {
                writer.WriteString(pair.Key, pair.Value);
            }

            writer.WriteEndObject();
        }

        return new TypedData { Json = Encoding.UTF8.GetString(stream.ToArray()) };
    }

    /// <summary>Newtonsoft's IsoDateFormat for a DateTimeOffset: "yyyy-MM-ddTHH:mm:ss.FFFFFFF+HH:mm".</summary>
    public static string NewtonsoftDate(DateTimeOffset value) =>
        value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    /// <summary>Newtonsoft's IsoDateFormat for a DateTime: "Z" for UTC, the local offset for Local, nothing for Unspecified.</summary>
    public static string NewtonsoftDate(DateTime value)
    {
        string text = value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture);
        return value.Kind switch
        {
            DateTimeKind.Utc => text + "Z",
            DateTimeKind.Local => text + FormatOffset(TimeZoneInfo.Local.GetUtcOffset(value)),
            _ => text,
        };
    }

    /// <summary>
    /// The timer TimerInfo as <c>JsonConvert.SerializeObject(timerInfo)</c> writes it (public properties in declaration order:
    /// Schedule, ScheduleStatus, IsPastDue; the schedule's only public property is AdjustForDST).
    /// </summary>
    public static string TimerInfoJson(TimerDetails timer)
    {
        var builder = new StringBuilder();
        builder.Append("{\"Schedule\":{\"AdjustForDST\":").Append(timer.AdjustForDst ? "true" : "false").Append("},\"ScheduleStatus\":");
        if (timer.ScheduleStatus is { } status)
        {
            builder.Append("{\"Last\":").Append(Quote(NewtonsoftDate(status.Last)))
                .Append(",\"Next\":").Append(Quote(NewtonsoftDate(status.Next)))
                .Append(",\"LastUpdated\":").Append(Quote(NewtonsoftDate(status.LastUpdated)))
                .Append('}');
        }
        else
        {
            builder.Append("null");
        }

        builder.Append(",\"IsPastDue\":").Append(timer.IsPastDue ? "true" : "false").Append('}');
        return builder.ToString();
    }

    /// <summary>
    /// Utility.ApplyBindingData: when the trigger value is a string that looks like JSON (starts with { or [ and ends with } or ]),
    /// parse it as an object and add its top-level non-array properties to the binding data (overwriting by name, case-insensitive):
    /// objects as Json, everything else as <c>(string)JToken</c>. Anything that does not parse adds nothing.
    /// </summary>
    public static void ApplyBindingData(string? value, Dictionary<string, TypedData> bindingData)
    {
        if (string.IsNullOrEmpty(value) || !IsJson(value))
        {
            return;
        }

        var additional = new List<KeyValuePair<string, TypedData>>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(value, LenientParse);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return; // JObject.Parse throws for an array, and the host swallows it.
            }

            // JObject keeps the last of duplicate names; ToDictionary over its properties is then unique.
            var byName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                byName[property.Name] = property.Value.Clone();
            }

            foreach ((string name, JsonElement element) in byName)
            {
                TypedData? converted = element.ValueKind switch
                {
                    JsonValueKind.Array => null,
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    JsonValueKind.Object => new TypedData { Json = Minify(element) },
                    JsonValueKind.String => String(JTokenStringCast(element.GetString()!)),
                    JsonValueKind.True => String(bool.TrueString),
                    JsonValueKind.False => String(bool.FalseString),
                    JsonValueKind.Number => String(NumberAsNewtonsoftString(element)),
                    _ => null,
                };

                if (converted is not null)
                {
                    additional.Add(new(name, converted));
                }
            }
        }
        catch (JsonException)
        {
            return; // "it's not an error if the incoming message isn't JSON"
        }

        foreach ((string name, TypedData data) in additional)
        {
            bindingData[name] = data;
        }
    }

    /// <summary>Utility.IsJson.</summary>
    public static bool IsJson(string input)
    {
        string trimmed = input.Trim();
        return (trimmed.StartsWith('{') && trimmed.EndsWith('}')) || (trimmed.StartsWith('[') && trimmed.EndsWith(']'));
    }

    /// <summary>Renders a TypedData for people (assertion messages, InvocationResult).</summary>
    public static string? Describe(TypedData? data) => data?.DataCase switch
    {
        null or TypedData.DataOneofCase.None => null,
        TypedData.DataOneofCase.String => data.String,
        TypedData.DataOneofCase.Json => data.Json,
        TypedData.DataOneofCase.Bytes => Encoding.UTF8.GetString(data.Bytes.Span),
        TypedData.DataOneofCase.Stream => Encoding.UTF8.GetString(data.Stream.Span),
        TypedData.DataOneofCase.Int => data.Int.ToString(CultureInfo.InvariantCulture),
        TypedData.DataOneofCase.Double => data.Double.ToString(CultureInfo.InvariantCulture),
        _ => data.ToString(),
    };

    // JObject.Parse uses DateParseHandling.DateTime: a string in ISO 8601 form becomes a DateTime (Z: UTC; an offset: converted to
    // local time), and (string)JValue then prints it with Convert.ToString(DateTime, InvariantCulture): "MM/dd/yyyy HH:mm:ss".
    private static string JTokenStringCast(string text)
    {
        if (!IsoDate().IsMatch(text))
        {
            return text;
        }

        if (text.EndsWith('Z') || IsoOffset().IsMatch(text))
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset withOffset))
            {
                return text;
            }

            DateTime converted = text.EndsWith('Z') ? withOffset.UtcDateTime : withOffset.LocalDateTime;
            return converted.ToString(CultureInfo.InvariantCulture);
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime unspecified)
            ? unspecified.ToString(CultureInfo.InvariantCulture)
            : text;
    }

    // (string)JValue of an integer is its invariant text; of a float, Newtonsoft parsed a double and prints it round-trip.
    private static string NumberAsNewtonsoftString(JsonElement element)
    {
        string raw = element.GetRawText();
        if (!raw.Contains('.', StringComparison.Ordinal) && !raw.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            return raw.TrimStart('+');
        }

        return element.TryGetDouble(out double number) ? number.ToString(CultureInfo.InvariantCulture) : raw;
    }

    private static string Minify(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh':'mm", CultureInfo.InvariantCulture);

    private static string Quote(string text) => "\"" + text + "\"";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"[+-]\d{2}:\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoOffset();
}
