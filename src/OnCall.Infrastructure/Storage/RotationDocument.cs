using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// The stored form of a rotation, version 2: plain strings, with each distinct person listed once in
/// <see cref="People"/> and layers (current and past) naming members by index, so history does not repeat
/// member lists. Stored as GZip-compressed JSON.
/// </summary>
internal sealed record RotationDocument(
    int Version,
    string Name,
    string TimeZone,
    SupervisorDocument Supervisor,
    string HandoffGrace,
    string? CalendarId,
    string Horizon,
    IReadOnlyList<MemberDocument> People,
    IReadOnlyList<LayerDocument> Layers,
    IReadOnlyList<RevisionDocument> History)
{
    public const int CurrentVersion = 2;

    // Names are stored as UTF-8 rather than \u escapes: smaller before compression, and HTML safety is moot here.
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new PlainStringConverter() },
    };

    /// <summary>GZip-compressed JSON.</summary>
    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, this, Json);
        }

        return buffer.ToArray();
    }

    public static RotationDocument Decode(byte[] compressed)
    {
        using var buffer = new MemoryStream(compressed, writable: false);
        using var gzip = new GZipStream(buffer, CompressionMode.Decompress);
        var document = JsonSerializer.Deserialize<RotationDocument>(gzip, Json)
            ?? throw new InvalidDataException("Empty rotation document.");
        return document.Version == CurrentVersion
            ? document
            : throw new InvalidDataException($"Rotation document version {document.Version} in a version {CurrentVersion} row.");
    }

    public static RotationDocument From(Rotation rotation)
    {
        var s = rotation.Settings;
        var people = new PeopleIndex();
        List<LayerDocument> layers = [.. s.Layers.Select(l => LayerDocument.From(l, people))];
        List<RevisionDocument> history = [.. rotation.History.Select(r => new RevisionDocument(
            r.Layer,
            r.EffectiveFrom.ToUnixTimeTicks(),
            r.TimeZone.Id,
            r.Definition is null ? null : LayerDocument.From(r.Definition, people)))];
        return new RotationDocument(
            CurrentVersion,
            s.Name,
            s.TimeZone.Id,
            new SupervisorDocument(s.Supervisor.Name, s.Supervisor.Email, s.Supervisor.Handle),
            DurationPattern.Roundtrip.Format(s.HandoffGrace),
            s.CalendarId,
            PeriodPattern.Roundtrip.Format(s.Horizon),
            [.. people.People],
            layers,
            history);
    }

    public Rotation ToRotation(string id, string feedTokenHash, Instant createdAt, Instant updatedAt)
    {
        var people = People.Select(p => new Member(p.Name, p.Email)).ToList();
        var settings = new RotationSettings(
            id,
            Name,
            Zone(TimeZone),
            new Supervisor(Supervisor.Name, Supervisor.Email, Supervisor.Handle),
            DurationPattern.Roundtrip.Parse(HandoffGrace).Value,
            CalendarId,
            PeriodPattern.Roundtrip.Parse(Horizon).Value,
            [.. Layers.Select(l => l.ToDefinition(people))]);
        var history = History.Select(r => new LayerRevision(
            r.Layer,
            Instant.FromUnixTimeTicks(r.EffectiveFromTicks),
            Zone(r.TimeZone),
            r.Definition?.ToDefinition(people)));
        return new Rotation(settings, [.. history], feedTokenHash, createdAt, updatedAt);
    }

    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];
}

internal sealed record SupervisorDocument(string Name, string Email, string? Handle);

internal sealed record MemberDocument(string Name, string Email);

/// <summary><see cref="EffectiveFromTicks"/> is Unix ticks so <see cref="Instant.MinValue"/> round-trips exactly.</summary>
internal sealed record RevisionDocument(string Layer, long EffectiveFromTicks, string TimeZone, LayerDocument? Definition);

/// <summary>A layer whose <see cref="Members"/> are indexes into <see cref="RotationDocument.People"/>.</summary>
internal sealed record LayerDocument(
    string Name,
    string ShiftLength,
    string HandoffTime,
    string Anchor,
    string Offset,
    IReadOnlyList<int> Members)
{

    public static LayerDocument From(LayerDefinition layer, PeopleIndex people) => new(
        layer.Name,
        PeriodPattern.NormalizingIso.Format(layer.ShiftLength),
        LayerDefinition.HandoffTimePattern.Format(layer.HandoffTime),
        LocalDatePattern.Iso.Format(layer.Anchor),
        PeriodPattern.NormalizingIso.Format(layer.Offset),
        [.. layer.Members.Select(m => people.IndexOf(m.Name, m.Email))]);

    public LayerDefinition ToDefinition(IReadOnlyList<Member> people) => new(
        Name,
        [.. Members.Select(i => i >= 0 && i < people.Count
            ? people[i]
            : throw new InvalidDataException($"Layer '{Name}' refers to person {i} of {people.Count}."))],
        PeriodPattern.NormalizingIso.Parse(ShiftLength).Value,
        LayerDefinition.HandoffTimePattern.Parse(HandoffTime).Value,
        LocalDatePattern.Iso.Parse(Anchor).Value,
        PeriodPattern.NormalizingIso.Parse(Offset).Value);
}

/// <summary>
/// Writes a string as plain UTF-8 when JSON needs nothing escaped in it. The built-in encoders escape every
/// character outside the BMP (emoji, rarer CJK) as two <c>\u</c> escapes, 12 bytes for 4, which costs about
/// twice as much after compression and so halves how many people and revisions fit.
/// </summary>
internal sealed class PlainStringConverter : JsonConverter<string>
{
    private static readonly SearchValues<char> NeedsEscaping =
        SearchValues.Create("\"\\" + string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c)));

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        var token = new byte[Encoding.UTF8.GetMaxByteCount(value.Length) + 2];
        if (value.AsSpan().IndexOfAny(NeedsEscaping) >= 0
            || Utf8.FromUtf16(value, token.AsSpan(1), out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            // Quotes, backslashes, control characters or a lone surrogate: leave those to the serializer.
            writer.WriteStringValue(value);
            return;
        }

        token[0] = (byte)'"';
        token[written + 1] = (byte)'"';
        writer.WriteRawValue(token.AsSpan(0, written + 2), skipInputValidation: true);
    }
}

/// <summary>Numbers each distinct (name, email) in order of first use.</summary>
internal sealed class PeopleIndex
{
    private readonly Dictionary<(string Name, string Email), int> _indexes = [];
    private readonly List<MemberDocument> _people = [];

    public IReadOnlyList<MemberDocument> People => _people;

    public int IndexOf(string name, string email)
    {
        if (!_indexes.TryGetValue((name, email), out var index))
        {
            index = _people.Count;
            _indexes.Add((name, email), index);
            _people.Add(new MemberDocument(name, email));
        }

        return index;
    }
}
