using OnCall.Core.Errors;

namespace OnCall.Core.Incidents;

/// <summary>Severity words of every sender, status names and the transitions the API allows.</summary>
public static class IncidentRules
{
    public const int MaxTitleLength = 500;
    public const int MaxTextLength = 10_000;
    public const int MaxKeyLength = 1_000;
    public const int MaxComponents = 50;

    /// <summary>
    /// The issue's defaults: critical/Sev0–1 → Critical, major/error/Sev2 → Major, warning/minor/info/Sev3–4 → Minor.
    /// </summary>
    public static IReadOnlyDictionary<string, Severity> DefaultSeverityMap { get; } =
        new Dictionary<string, Severity>(StringComparer.OrdinalIgnoreCase)
        {
            ["critical"] = Severity.Critical,
            ["sev0"] = Severity.Critical,
            ["sev1"] = Severity.Critical,
            ["major"] = Severity.Major,
            ["error"] = Severity.Major,
            ["sev2"] = Severity.Major,
            ["warning"] = Severity.Minor,
            ["minor"] = Severity.Minor,
            ["info"] = Severity.Minor,
            ["sev3"] = Severity.Minor,
            ["sev4"] = Severity.Minor,
        };

    public static string Wire(Severity severity) => severity.ToString().ToLowerInvariant();

    public static string Wire(IncidentStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>How a step's status reads over HTTP and in storage: <c>none</c> … <c>failed</c>.</summary>
    public static string Wire(StepStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>How a timeline line's kind reads over HTTP and in storage: <c>opened</c>, <c>alert</c>, <c>post-mortem</c>…</summary>
    public static string Wire(TimelineKind kind) => kind == TimelineKind.PostMortem ? "post-mortem" : kind.ToString().ToLowerInvariant();

    /// <summary>The step status <see cref="Wire(StepStatus)"/> wrote.</summary>
    public static StepStatus ParseStepStatus(string value) => Parse<StepStatus>(value, Wire);

    /// <summary>The timeline kind <see cref="Wire(TimelineKind)"/> wrote.</summary>
    public static TimelineKind ParseTimelineKind(string value) => Parse<TimelineKind>(value, Wire);

    private static T Parse<T>(string value, Func<T, string> wire)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(wire(candidate), value, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new FormatException($"'{value}' is not a {typeof(T).Name}.");
    }

    /// <summary>A status of the API (<c>open</c> … <c>canceled</c>); 400 naming <paramref name="field"/> otherwise.</summary>
    public static IncidentStatus ParseStatus(string? value, string field)
    {
        foreach (var status in Enum.GetValues<IncidentStatus>())
        {
            if (string.Equals(Wire(status), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return status;
            }
        }

        throw new ValidationFailedException(
            field,
            $"'{value}' is not one of {string.Join(", ", Enum.GetValues<IncidentStatus>().Select(Wire))}.");
    }

    /// <summary>
    /// Whether a person may move an incident from <paramref name="from"/> to <paramref name="to"/>: nothing leaves
    /// resolved or canceled; nothing goes back to open; acknowledged only from open; the working states
    /// (investigating, identified, monitoring) may go back and forth, because an incident can get worse again.
    /// </summary>
    public static bool CanMove(IncidentStatus from, IncidentStatus to) => (from, to) switch
    {
        (IncidentStatus.Resolved or IncidentStatus.Canceled, _) => false,
        (_, IncidentStatus.Open) => false,
        (IncidentStatus.Open, IncidentStatus.Acknowledged) => true,
        (_, IncidentStatus.Acknowledged) => false,
        _ => from != to,
    };

    /// <summary>The Statuspage status of an incident that is over.</summary>
    public const string StatuspageResolved = "resolved";

    /// <summary>The Statuspage status an incident in <paramref name="status"/> shows.</summary>
    public static string StatuspageStatus(IncidentStatus status) => status switch
    {
        IncidentStatus.Identified => "identified",
        IncidentStatus.Monitoring => "monitoring",
        IncidentStatus.Resolved or IncidentStatus.Canceled => StatuspageResolved,
        _ => "investigating",
    };

    /// <summary>Statuspage impact and affected components' status for a severity.</summary>
    public static (string Impact, string ComponentStatus) StatuspageImpact(Severity severity) => severity switch
    {
        Severity.Critical => ("critical", "major_outage"),
        Severity.Major => ("major", "partial_outage"),
        _ => ("minor", "degraded_performance"),
    };
}

/// <summary>Maps a sender's severity word to ours; words not in the map are refused, naming the field, or taken as the default.</summary>
public sealed class SeverityMap(IReadOnlyDictionary<string, Severity> words, Severity whenAbsent)
{
    public static SeverityMap Default { get; } = new(IncidentRules.DefaultSeverityMap, Severity.Minor);

    /// <summary>What a native sender's alert without any severity gets (its payload cannot be fixed by retrying).</summary>
    public Severity WhenAbsent { get; } = whenAbsent;

    public Severity Map(string? word, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(word))
        {
            return WhenAbsent;
        }

        if (words.TryGetValue(word.Trim(), out var severity))
        {
            return severity;
        }

        errors.Add(field, $"'{word}' is not a known severity; use one of {string.Join(", ", words.Keys.Order(StringComparer.Ordinal))}.");
        return WhenAbsent;
    }

    /// <summary>
    /// For senders that do not retry a 4xx (Alertmanager, Grafana): an unknown word is taken as <see cref="WhenAbsent"/>
    /// (<c>OnCall:Incidents:DefaultSeverity</c>) rather than refused, so the alert is not lost; <paramref name="unknown"/> says so.
    /// </summary>
    public Severity MapOrDefault(string? word, out bool unknown)
    {
        unknown = false;
        if (string.IsNullOrWhiteSpace(word))
        {
            return WhenAbsent;
        }

        if (words.TryGetValue(word.Trim(), out var severity))
        {
            return severity;
        }

        unknown = true;
        return WhenAbsent;
    }
}
