using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Rotations;

namespace OnCall.Functions.Http;

// The wire shapes of rotations and overrides as clients send them. Every member is a nullable string so that
// "required" and "well-formed" are checked here, and reported with the JSON path of the field.
public sealed record MemberRequest(string? Name, string? Email)
{
    public Member ToMember() => new(WireFormat.Text(Name), WireFormat.Text(Email));
}

public sealed record SupervisorRequest(string? Name, string? Email, string? Handle);

public sealed record LayerRequest(
    string? Name,
    string? ShiftLength,
    string? HandoffTime,
    string? Anchor,
    string? Offset,
    IReadOnlyList<MemberRequest?>? Members);

public sealed record RotationRequest(
    string? Id,
    string? Name,
    string? TimeZone,
    SupervisorRequest? Supervisor,
    string? HandoffGrace,
    string? CalendarId,
    string? Horizon,
    IReadOnlyList<LayerRequest?>? Layers)
{
    /// <summary>The rotation's settings, or <see cref="ValidationFailedException"/> naming every invalid field.</summary>
    public RotationSettings ToSettings(string id)
    {
        var errors = new ValidationErrors();
        if (Id is not null && Id != id)
        {
            errors.Add("id", $"'{Id}' does not match the id in the URL ('{id}').");
        }

        var zone = WireFormat.ParseZone(TimeZone, "timeZone", errors) ?? DateTimeZone.Utc;
        if (Supervisor is null)
        {
            errors.Add("supervisor", "is required.");
        }

        var supervisor = Supervisor is null
            ? Placeholder.Supervisor
            : new Supervisor(
                WireFormat.Text(Supervisor.Name),
                WireFormat.Text(Supervisor.Email),
                WireFormat.OptionalText(Supervisor.Handle));
        var grace = HandoffGrace is null
            ? RotationSettings.DefaultHandoffGrace
            : WireFormat.ParseDuration(HandoffGrace, "handoffGrace", errors) ?? RotationSettings.DefaultHandoffGrace;
        var horizon = Horizon is null
            ? RotationSettings.DefaultHorizon
            : WireFormat.ParsePeriod(Horizon, "horizon", errors) ?? RotationSettings.DefaultHorizon;
        var layers = (Layers ?? []).Select((layer, i) => ToLayer(layer, $"layers[{i}]", i, errors)).ToList();
        var settings = new RotationSettings(
            id,
            WireFormat.Text(Name),
            zone,
            supervisor,
            grace,
            WireFormat.OptionalText(CalendarId),
            horizon,
            layers);

        RotationRules.Check(settings, errors);
        errors.ThrowIfAny();
        return Canonical(settings);
    }

    private static LayerDefinition ToLayer(LayerRequest? layer, string path, int index, ValidationErrors errors)
    {
        if (layer is null)
        {
            errors.Add(path, "is required.");
            return Placeholder.Layer(index);
        }

        var members = (layer.Members ?? []).Select((member, j) =>
        {
            if (member is null)
            {
                errors.Add($"{path}.members[{j}]", "is required.");
                return Placeholder.Member;
            }

            return member.ToMember();
        }).ToList();
        return new LayerDefinition(
            layer.Name ?? "",
            members,
            WireFormat.ParsePeriod(layer.ShiftLength, $"{path}.shiftLength", errors) ?? Period.FromDays(1),
            WireFormat.ParseLocalTime(layer.HandoffTime, $"{path}.handoffTime", errors) ?? LocalTime.Midnight,
            WireFormat.ParseLocalDate(layer.Anchor, $"{path}.anchor", errors) ?? Placeholder.Anchor,
            layer.Offset is null ? Period.Zero : WireFormat.ParsePeriod(layer.Offset, $"{path}.offset", errors) ?? Period.Zero);
    }

    // Whole days stay days, so a shift length of "PT168H" or "P1W" reads back as "P7D"; the horizon reads back as sent.
    private static RotationSettings Canonical(RotationSettings settings) => settings with
    {
        Layers = [.. settings.Layers.Select(l => l with
        {
            ShiftLength = RotationRules.HoursPeriod(RotationRules.WholeHours(l.ShiftLength)!.Value),
            Offset = RotationRules.HoursPeriod(RotationRules.WholeHours(l.Offset)!.Value),
        })],
    };

    /// <summary>Neutral valid values that stand in for what did not parse, so they add no errors of their own.</summary>
    private static class Placeholder
    {
        public static readonly Member Member = new("-", "-@-");
        public static readonly Supervisor Supervisor = new("-", "-@-");
        public static readonly LocalDate Anchor = new(2000, 1, 1);

        public static LayerDefinition Layer(int index) =>
            new($"layer-{index}", [Member], Period.FromDays(1), LocalTime.Midnight, Anchor, Period.Zero);
    }
}

public sealed record OverrideRequest(string? Layer, string? Start, string? End, MemberRequest? Member, string? Reason)
{
    public OverrideSpec ToSpec()
    {
        var errors = new ValidationErrors();
        var start = WireFormat.ParseInstant(Start, "start", errors);
        var end = WireFormat.ParseInstant(End, "end", errors);
        if (Member is null)
        {
            errors.Add("member", "is required.");
        }

        // Start and end stand in for each other when one did not parse, so only the real fault is reported.
        var known = start ?? end ?? Instant.FromUnixTimeSeconds(0);
        var (from, to) = start is { } s && end is { } e ? (s, e) : (known, known + Duration.FromMinutes(1));
        var spec = new OverrideSpec(Layer ?? "", from, to, Member?.ToMember() ?? new Member("-", "-@-"), WireFormat.OptionalText(Reason));

        RotationRules.CheckOverride(spec, errors);
        errors.ThrowIfAny();
        return spec;
    }
}
