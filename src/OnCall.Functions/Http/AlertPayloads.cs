using System.Text.Json;
using System.Text.Json.Nodes;
using OnCall.Core.Errors;
using OnCall.Core.Incidents;

namespace OnCall.Functions.Http;

/// <summary>
/// The native payloads of each sender, read into one <see cref="Alert"/>. Every way a payload can be wrong is a
/// 400 naming the JSON field; every field the senders document as optional may be absent.
/// </summary>
public static class AlertPayloads
{
    public const string Generic = "generic";
    public const string Alertmanager = "alertmanager";
    public const string AzureMonitor = "azure-monitor";
    public const string Grafana = "grafana";

    private const int MaxNameLength = 200;
    private const int MaxNotedWords = 5;
    private const int MaxLinkLength = 2000;
    private const int MaxNotedWordLength = 50;

    /// <summary><c>{title, severity, dedupKey, source?, service?, components?, description?, status?, rotation?, link?}</c>.</summary>
    public static Alert ReadGeneric(JsonObject body, SeverityMap severities)
    {
        var errors = new ValidationErrors();
        var title = Text(body, "title", errors, required: true, IncidentRules.MaxTitleLength);
        var severityWord = Text(body, "severity", errors, required: true, 50);
        var severity = errors.Has("severity") ? Severity.Minor : severities.Map(severityWord, "severity", errors);
        var dedupKey = Text(body, "dedupKey", errors, required: true, IncidentRules.MaxKeyLength);
        var source = Text(body, "source", errors, required: false, MaxNameLength);
        if (source is not null && IsOtherWebhook(source))
        {
            // A secret is bound to its source (DESIGN): the dedup namespace is the route's, so the generic secret must
            // not open, update or resolve another sender's incidents by naming it.
            throw new HttpProblemException(
                403,
                "Forbidden",
                $"the generic webhook's secret cannot act for '{source}'; that sender posts to its own webhook with its own secret.",
                "source");
        }

        var status = Text(body, "status", errors, required: false, 20);
        var resolved = status?.ToLowerInvariant() switch
        {
            null or "firing" or "open" or "triggered" => false,
            "resolved" => true,
            _ => Invalid(errors, "status", "must be firing or resolved."),
        };
        // Any other source is only the sender's own name: every incident of this webhook is in the generic namespace.
        var alert = new Alert(
            Generic,
            dedupKey ?? "",
            severity,
            title ?? "",
            Text(body, "description", errors, required: false, IncidentRules.MaxTextLength),
            Text(body, "service", errors, required: false, MaxNameLength),
            Names(body["components"], "components", errors),
            Text(body, "rotation", errors, required: false, MaxNameLength),
            resolved,
            Link(body, errors));
        errors.ThrowIfAny();
        return alert;
    }

    /// <summary>
    /// Alertmanager's webhook (version 4) or Grafana alerting's (its copy of it): one incident per <c>groupKey</c>,
    /// resolved when the group is (Alertmanager says <c>resolved</c> only when every alert in it is), severity the
    /// highest of the firing alerts', rotation from a <c>rotation</c> or <c>team</c> label.
    /// </summary>
    public static Alert ReadAlertmanager(JsonObject body, SeverityMap severities, string source)
    {
        var errors = new ValidationErrors();
        if (source == Alertmanager && Text(body, "version", errors, required: true, 10) is { } version && version != "4")
        {
            errors.Add("version", $"webhook version '{version}' is not supported; Alertmanager sends 4.");
        }

        var status = Text(body, "status", errors, required: true, 20);
        if (status is not (null or "firing" or "resolved"))
        {
            errors.Add("status", "must be firing or resolved.");
        }

        var groupKey = Text(body, "groupKey", errors, required: true, IncidentRules.MaxKeyLength);
        var alerts = body["alerts"] as JsonArray;
        if (alerts is null || alerts.Count == 0)
        {
            errors.Add("alerts", "must be a non-empty array.");
            alerts = [];
        }

        var common = Labels(body, "commonLabels", errors);
        var annotations = Labels(body, "commonAnnotations", errors);
        var severity = (Severity?)null;
        var components = new List<string>();
        var unknownWords = new List<string>();

        // The lead alert is the most severe one that counts (the first among equals): severity and title come from it.
        (Dictionary<string, string> Labels, Dictionary<string, string> Annotations, JsonObject Alert)? lead = null;
        for (var i = 0; i < alerts.Count; i++)
        {
            if (alerts[i] is not JsonObject alert)
            {
                errors.Add($"alerts[{i}]", "must be an object.");
                continue;
            }

            var labels = Labels(alert, "labels", errors, $"alerts[{i}].");
            var alertAnnotations = Labels(alert, "annotations", errors, $"alerts[{i}].");
            var firing = Text(alert, "status", errors, required: false, 20, $"alerts[{i}].") != "resolved";

            // An unknown word is not a 400: these senders do not retry a 4xx, so the whole group would be lost.
            var word = labels.GetValueOrDefault("severity");
            var mapped = severities.MapOrDefault(word, out var unknown);
            if (firing || status == "resolved")
            {
                if (unknown && !unknownWords.Contains(word!, StringComparer.OrdinalIgnoreCase))
                {
                    unknownWords.Add(word!);
                }

                if (severity is null || mapped > severity)
                {
                    severity = mapped;
                    lead = (labels, alertAnnotations, alert);
                }
            }

            lead ??= (labels, alertAnnotations, alert);
            if ((labels.GetValueOrDefault("component") ?? labels.GetValueOrDefault("service"))
                    is { Length: > 0 and <= MaxNameLength } component
                && !components.Contains(component))
            {
                components.Add(component);
            }
        }

        var leadLabels = lead?.Labels ?? [];
        var leadAnnotations = lead?.Annotations ?? [];
        string? Pick(string key) => common.GetValueOrDefault(key) ?? leadLabels.GetValueOrDefault(key);
        var title = Limit(
            leadAnnotations.GetValueOrDefault("summary") ?? annotations.GetValueOrDefault("summary")
            ?? leadLabels.GetValueOrDefault("alertname") ?? common.GetValueOrDefault("alertname")
            ?? (source == Grafana ? OptionalString(body, "title") : null)
            ?? groupKey ?? "",
            IncidentRules.MaxTitleLength) ?? "";
        var notes = new List<string>();
        if (unknownWords.Count > 0)
        {
            notes.Add(
                $"Severity {string.Join(", ", unknownWords.Take(MaxNotedWords).Select(w => $"'{Limit(w, MaxNotedWordLength)}'"))}"
                + $"{(unknownWords.Count > MaxNotedWords ? $" and {unknownWords.Count - MaxNotedWords} more" : "")} not known: "
                + $"taken as {IncidentRules.Wire(severities.WhenAbsent)} (OnCall__Incidents__DefaultSeverity).");
        }

        // The lead alert's own page (Prometheus' expression, Grafana's rule), else the sender's; a link we would not
        // show is dropped with a note rather than refused, because these senders do not retry a 4xx.
        string? link = null;
        foreach (var (name, candidate) in new[]
        {
            ("generatorURL", lead is { } l ? OptionalString(l.Alert, "generatorURL") : null),
            ("externalURL", OptionalString(body, "externalURL")),
        })
        {
            if (candidate is null)
            {
                continue;
            }

            if (IsShowableLink(candidate))
            {
                link = candidate;
                break;
            }

            notes.Add($"Link {name} dropped: not an absolute http or https URL of at most {MaxLinkLength} characters.");
        }

        var result = new Alert(
            source,
            groupKey ?? "",
            severity ?? severities.WhenAbsent,
            title,
            Limit(
                leadAnnotations.GetValueOrDefault("description") ?? annotations.GetValueOrDefault("description"),
                IncidentRules.MaxTextLength),
            Limit(Pick("service"), MaxNameLength),
            components.Take(IncidentRules.MaxComponents).ToList(),
            Limit(Pick("rotation") ?? Pick("team"), MaxNameLength),
            status == "resolved",
            link,
            notes);
        errors.ThrowIfAny();
        return result;
    }

    /// <summary>Azure Monitor's common alert schema: one incident per <c>data.essentials.alertId</c>.</summary>
    public static Alert ReadAzureMonitor(JsonObject body, SeverityMap severities)
    {
        var errors = new ValidationErrors();
        if (Text(body, "schemaId", errors, required: true, 100) is { } schema && schema != "azureMonitorCommonAlertSchema")
        {
            errors.Add("schemaId", "must be azureMonitorCommonAlertSchema: turn on the common alert schema in the action group.");
        }

        if (body["data"]?["essentials"] is not JsonObject essentials)
        {
            errors.Add("data.essentials", "is required.");
            errors.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        const string at = "data.essentials.";
        var alertId = Text(essentials, "alertId", errors, required: true, IncidentRules.MaxKeyLength, at);
        var severityWord = Text(essentials, "severity", errors, required: true, 20, at);
        var severity = errors.Has($"{at}severity") ? Severity.Minor : severities.Map(severityWord, $"{at}severity", errors);
        var condition = Text(essentials, "monitorCondition", errors, required: true, 20, at);
        if (condition is not (null or "Fired" or "Resolved"))
        {
            errors.Add($"{at}monitorCondition", "must be Fired or Resolved.");
        }

        var custom = body["data"]?["customProperties"] as JsonObject;
        var items = Names(essentials["configurationItems"], $"{at}configurationItems", errors);
        var result = new Alert(
            AzureMonitor,
            alertId ?? "",
            severity,
            Text(essentials, "alertRule", errors, required: false, IncidentRules.MaxTitleLength, at) ?? alertId ?? "",
            Limit(Text(essentials, "description", errors, required: false, IncidentRules.MaxTextLength, at), IncidentRules.MaxTextLength),
            items.FirstOrDefault(),
            items,
            (custom is null ? null : OptionalString(custom, "rotation") ?? OptionalString(custom, "team")),
            condition == "Resolved");
        errors.ThrowIfAny();
        return result;
    }

    private static string? Text(JsonObject o, string name, ValidationErrors errors, bool required, int maxLength, string prefix = "")
    {
        var field = prefix + name;
        switch (o[name])
        {
            case null:
                if (required)
                {
                    errors.Add(field, "is required.");
                }

                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>().Trim();
                if (text.Length == 0 && required)
                {
                    errors.Add(field, "is required.");
                    return null;
                }

                if (text.Length > maxLength)
                {
                    errors.Add(field, $"must be at most {maxLength} characters.");
                    return null;
                }

                if (text.Any(char.IsControl) && maxLength < IncidentRules.MaxTextLength)
                {
                    errors.Add(field, "must not contain control characters.");
                    return null;
                }

                return text.Length == 0 ? null : text;
            default:
                errors.Add(field, "must be a string.");
                return null;
        }
    }

    private static string? OptionalString(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s.Trim() : null;

    private static List<string> Names(JsonNode? node, string field, ValidationErrors errors)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            errors.Add(field, "must be an array of strings.");
            return [];
        }

        if (array.Count > IncidentRules.MaxComponents)
        {
            errors.Add(field, $"at most {IncidentRules.MaxComponents} are allowed.");
            return [];
        }

        var names = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v
                && v.GetValueKind() == JsonValueKind.String
                && v.GetValue<string>().Trim() is { Length: > 0 and <= MaxNameLength } name)
            {
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
            else
            {
                errors.Add($"{field}[{i}]", $"must be a non-empty string of at most {MaxNameLength} characters.");
            }
        }

        return names;
    }

    private static Dictionary<string, string> Labels(JsonObject o, string name, ValidationErrors errors, string prefix = "")
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (o[name])
        {
            case null:
                return labels;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        labels[key] = v.GetValue<string>();
                    }
                    else
                    {
                        errors.Add($"{prefix}{name}.{key}", "must be a string.");
                    }
                }

                return labels;
            default:
                errors.Add(prefix + name, "must be an object of strings.");
                return labels;
        }
    }

    /// <summary>The generic webhook's <c>link</c>: a script can fix its request, so anything we would not show is a 400.</summary>
    private static string? Link(JsonObject body, ValidationErrors errors)
    {
        var link = Text(body, "link", errors, required: false, MaxLinkLength);
        if (link is not null && !IsShowableLink(link))
        {
            errors.Add("link", "must be an absolute http or https URL.");
            return null;
        }

        return link;
    }

    /// <summary>
    /// Only absolute http and https URLs are stored: the page, chat messages and post-mortems make links of them, and a
    /// javascript: or data: link there would run in the reader's session.
    /// </summary>
    public static bool IsShowableLink(string text) =>
        text.Length <= MaxLinkLength
        && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0;

    private static bool IsOtherWebhook(string source) =>
        source.Equals(Alertmanager, StringComparison.OrdinalIgnoreCase)
        || source.Equals(AzureMonitor, StringComparison.OrdinalIgnoreCase)
        || source.Equals(WebhookAuth.SettingKey(AzureMonitor), StringComparison.OrdinalIgnoreCase)
        || source.Equals(Grafana, StringComparison.OrdinalIgnoreCase);

    private static string? Limit(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];

    private static bool Invalid(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return false;
    }
}
