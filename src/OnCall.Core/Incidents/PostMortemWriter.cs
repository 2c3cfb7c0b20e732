using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.Time;

namespace OnCall.Core.Incidents;

/// <summary>
/// The post-mortem issue's body, from a markdown template with <c>{{placeholders}}</c>: id, title, summary, impact,
/// severity, start, end, duration, timeline, links, due, marker. Blameless: every person named in the timeline
/// (commander, whoever changed a status) becomes team-member-1, -2 … in order of first appearance, the same person
/// the same number everywhere.
/// </summary>
public static partial class PostMortemWriter
{
    public const string DefaultTemplate = """
        ## Summary

        {{summary}}

        ## Impact

        {{impact}}

        | | |
        | --- | --- |
        | Severity | {{severity}} |
        | Start | {{start}} |
        | End | {{end}} |
        | Duration | {{duration}} |
        | Due | {{due}} |

        ## Timeline (UTC)

        {{timeline}}

        ## Links

        {{links}}

        ## Root cause

        _To fill in: what happened and why. Blameless: describe systems and decisions, not people._

        ## Action items

        - [ ] _Action_ — owner: _assign_ — due: {{due}}
        - [ ] _Action_ — owner: _assign_ — due: {{due}}

        {{marker}}
        """;

    public static string Marker(string incidentId) => $"<!-- oncall-incident: {incidentId} -->";

    public static string Title(Incident incident) => $"Post-mortem: {incident.Title}";

    public static IReadOnlyList<string> Labels(Incident incident) => ["post-mortem", $"severity:{IncidentRules.Wire(incident.Severity)}"];

    public static string Write(IncidentDetails details, string? template, int dueBusinessDays)
    {
        ArgumentNullException.ThrowIfNull(details);
        var incident = details.Incident;
        var people = new Blameless(incident);
        foreach (var entry in details.Timeline)
        {
            // Everyone who acted is known before any text is scrubbed, so a name is replaced wherever it appears.
            people.Name(entry.By);
        }

        var end = incident.ResolvedAt ?? incident.OpenedAt;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["id"] = incident.Id,
            ["title"] = people.Scrub(incident.Title),
            ["summary"] = people.Scrub(incident.Description is { Length: > 0 } d ? $"{incident.Title}: {d}" : incident.Title),
            ["impact"] = incident.Components.Count > 0
                ? $"Affected: {string.Join(", ", incident.Components)}{(incident.Service is null ? "" : $" (service {incident.Service})")}."
                : incident.Service is null ? "_To fill in._" : $"Service {incident.Service}.",
            ["severity"] = IncidentRules.Wire(incident.Severity),
            ["start"] = Format(incident.OpenedAt),
            ["end"] = Format(end),
            ["duration"] = FormatDuration(end - incident.OpenedAt),
            ["timeline"] = string.Join("\n", details.Timeline.Select(t =>
                $"- {Format(t.At)} — {IncidentRules.Wire(t.Kind)}: {people.Scrub(t.Message)} ({people.Name(t.By)})")),
            ["links"] = Links(incident),
            ["due"] = LocalDatePattern.Iso.Format(DueDate(end, dueBusinessDays)),
            ["marker"] = Marker(incident.Id),
        };
        var body = Placeholder().Replace(
            template ?? DefaultTemplate,
            m => values.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);

        // The marker is how a retry finds the issue again; a custom template cannot leave it out.
        return body.Contains(Marker(incident.Id), StringComparison.Ordinal) ? body : $"{body}\n\n{Marker(incident.Id)}\n";
    }

    /// <summary><paramref name="days"/> business days (Monday to Friday) after the day of <paramref name="from"/>, in UTC.</summary>
    public static LocalDate DueDate(Instant from, int days)
    {
        var date = from.InUtc().Date;
        for (var added = 0; added < days;)
        {
            date = date.PlusDays(1);
            if (date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
            {
                added++;
            }
        }

        return date;
    }

    private static string Links(Incident incident)
    {
        var links = new List<string>();
        if (incident.Statuspage.Url is { } statuspage)
        {
            links.Add($"- Statuspage: {statuspage}");
        }

        links.Add(incident.Link is { } source ? $"- Alert source ({incident.Source}): {source}" : $"- Alert source: {incident.Source}");
        return string.Join("\n", links);
    }

    private static string Format(Instant instant) => InstantText.Format(instant);

    private static string FormatDuration(Duration duration) =>
        duration.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds} s");

    [GeneratedRegex(@"\{\{\s*(?<name>[a-z]+)\s*\}\}", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();

    /// <summary>People by name and email, each numbered once, replaced wherever they appear.</summary>
    private sealed class Blameless
    {
        private readonly Dictionary<string, string> _aliases = new(StringComparer.OrdinalIgnoreCase);
        private readonly string _source;

        public Blameless(Incident incident)
        {
            _source = incident.Source;
            if (incident.Commander is { } commander)
            {
                var alias = Name(commander.Email);
                _aliases[commander.Name] = alias;
            }
        }

        /// <summary>The alias of a person; systems (alert sources) keep their names.</summary>
        public string Name(string who)
        {
            if (_aliases.TryGetValue(who, out var alias))
            {
                return alias;
            }

            if (string.Equals(who, _source, StringComparison.OrdinalIgnoreCase) || IsSystem(who))
            {
                return who;
            }

            alias = $"team-member-{_aliases.Values.Distinct(StringComparer.Ordinal).Count() + 1}";
            _aliases[who] = alias;
            return alias;
        }

        public string Scrub(string text)
        {
            var result = new StringBuilder(text);
            foreach (var (who, alias) in _aliases.OrderByDescending(a => a.Key.Length))
            {
                result = new StringBuilder(Regex.Replace(
                    result.ToString(),
                    $@"\b{Regex.Escape(who)}\b",
                    alias,
                    RegexOptions.IgnoreCase,
                    TimeSpan.FromSeconds(1)));
            }

            return result.ToString();
        }

        private static bool IsSystem(string who) =>
            who is "alertmanager" or "azure-monitor" or "grafana" or "generic"
                or TimelineEntry.App or TimelineEntry.AdminKey or "statuspage" or "github";
    }
}
