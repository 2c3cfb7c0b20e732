using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Storage;

/// <summary>The stored form of a rotation: plain strings, so the schema is readable in Storage Explorer.</summary>
internal sealed record RotationDocument(
    int Version,
    string Name,
    string TimeZone,
    SupervisorDocument Supervisor,
    string HandoffGrace,
    string? CalendarId,
    string Horizon,
    IReadOnlyList<LayerDocument> Layers,
    IReadOnlyList<RevisionDocument> History)
{
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static RotationDocument Deserialize(string json) =>
        JsonSerializer.Deserialize<RotationDocument>(json, Json) ?? throw new InvalidDataException("Empty rotation document.");

    public static RotationDocument From(Rotation rotation)
    {
        var s = rotation.Settings;
        return new RotationDocument(
            CurrentVersion,
            s.Name,
            s.TimeZone.Id,
            new SupervisorDocument(s.Supervisor.Name, s.Supervisor.Email, s.Supervisor.Handle),
            DurationPattern.Roundtrip.Format(s.HandoffGrace),
            s.CalendarId,
            PeriodPattern.NormalizingIso.Format(s.Horizon),
            [.. s.Layers.Select(LayerDocument.From)],
            [.. rotation.History.Select(r => new RevisionDocument(r.Layer, r.EffectiveFrom.ToUnixTimeTicks(), r.TimeZone.Id, r.Definition is null ? null : LayerDocument.From(r.Definition)))]);
    }

    public Rotation ToRotation(string id, string feedTokenHash, Instant createdAt, Instant updatedAt)
    {
        var settings = new RotationSettings(
            id,
            Name,
            Zone(TimeZone),
            new Supervisor(Supervisor.Name, Supervisor.Email, Supervisor.Handle),
            DurationPattern.Roundtrip.Parse(HandoffGrace).Value,
            CalendarId,
            PeriodPattern.NormalizingIso.Parse(Horizon).Value,
            [.. Layers.Select(l => l.ToDefinition())]);
        var history = History.Select(r => new LayerRevision(r.Layer, Instant.FromUnixTimeTicks(r.EffectiveFromTicks), Zone(r.TimeZone), r.Definition?.ToDefinition()));
        return new Rotation(settings, [.. history], feedTokenHash, createdAt, updatedAt);
    }

    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];
}

internal sealed record SupervisorDocument(string Name, string Email, string? Handle);

internal sealed record MemberDocument(string Name, string Email);

/// <summary><see cref="EffectiveFromTicks"/> is Unix ticks so <see cref="Instant.MinValue"/> round-trips exactly.</summary>
internal sealed record RevisionDocument(string Layer, long EffectiveFromTicks, string TimeZone, LayerDocument? Definition);

internal sealed record LayerDocument(string Name, string ShiftLength, string HandoffTime, string Anchor, string Offset, IReadOnlyList<MemberDocument> Members)
{

    public static LayerDocument From(LayerDefinition layer) => new(
        layer.Name,
        PeriodPattern.NormalizingIso.Format(layer.ShiftLength),
        LayerDefinition.HandoffTimePattern.Format(layer.HandoffTime),
        LocalDatePattern.Iso.Format(layer.Anchor),
        PeriodPattern.NormalizingIso.Format(layer.Offset),
        [.. layer.Members.Select(m => new MemberDocument(m.Name, m.Email))]);

    public LayerDefinition ToDefinition() => new(
        Name,
        [.. Members.Select(m => new Member(m.Name, m.Email))],
        PeriodPattern.NormalizingIso.Parse(ShiftLength).Value,
        LayerDefinition.HandoffTimePattern.Parse(HandoffTime).Value,
        LocalDatePattern.Iso.Parse(Anchor).Value,
        PeriodPattern.NormalizingIso.Parse(Offset).Value);
}
