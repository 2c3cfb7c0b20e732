using System.ComponentModel.DataAnnotations;
using OnCall.Core.Incidents;

namespace OnCall.Infrastructure.Incidents;

/// <summary><c>OnCall:Incidents</c>: incident policy. Everything has a default.</summary>
public sealed class IncidentOptions : IValidatableObject
{
    public const string Section = "OnCall:Incidents";

    /// <summary>The rotation of an alert that names none in a <c>team</c> or <c>rotation</c> label.</summary>
    public string? DefaultRotation { get; set; }

    /// <summary>Sender severity word → critical, major or minor; added to (and overriding) the defaults.</summary>
    public Dictionary<string, string> Severities { get; set; } = [];

    /// <summary>What a native alert without a severity gets.</summary>
    public string DefaultSeverity { get; set; } = "minor";

    public string StatuspageThreshold { get; set; } = "major";

    public string PostMortemThreshold { get; set; } = "major";

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan StatuspageReminderAfter { get; set; } = TimeSpan.FromMinutes(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
            {
                (nameof(DefaultSeverity), DefaultSeverity),
                (nameof(StatuspageThreshold), StatuspageThreshold),
                (nameof(PostMortemThreshold), PostMortemThreshold),
            }
            .Concat(Severities.Select(s => ($"{nameof(Severities)}:{s.Key}", s.Value))))
        {
            if (ParseSeverity(value) is null)
            {
                yield return new ValidationResult($"{name} must be critical, major or minor, not '{value}'.", [name]);
            }
        }
    }

    public static Severity? ParseSeverity(string? value) =>
        Enum.TryParse<Severity>(value, ignoreCase: true, out var severity) && Enum.IsDefined(severity) && !int.TryParse(value, out _)
            ? severity
            : null;

    public SeverityMap SeverityMap()
    {
        var words = new Dictionary<string, Severity>(IncidentRules.DefaultSeverityMap, StringComparer.OrdinalIgnoreCase);
        foreach (var (word, value) in Severities)
        {
            words[word] = ParseSeverity(value)!.Value;
        }

        return new SeverityMap(words, ParseSeverity(DefaultSeverity)!.Value);
    }
}

/// <summary><c>OnCall:Statuspage</c>: off until <see cref="ApiKey"/> and <see cref="PageId"/> are set.</summary>
public sealed class StatuspageOptions
{
    public const string Section = "OnCall:Statuspage";

    /// <summary>A secret: sent as <c>Authorization: OAuth &lt;key&gt;</c>, never logged.</summary>
    public string? ApiKey { get; set; }

    public string? PageId { get; set; }

    [Url]
    public string BaseUrl { get; set; } = "https://api.statuspage.io/v1/";

    /// <summary>Our component name → Statuspage component id; names without an id are left out.</summary>
    public Dictionary<string, string> Components { get; set; } = [];

    /// <summary>The least time between two requests with the one key (Statuspage allows about 1 per second).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(PageId);
}

/// <summary><c>OnCall:GitHub</c>: where post-mortems go; off until token, owner and repository are set.</summary>
public sealed class GitHubOptions : IValidatableObject
{
    public const string Section = "OnCall:GitHub";

    /// <summary>A secret, never logged.</summary>
    public string? Token { get; set; }

    public string? Owner { get; set; }

    public string? Repo { get; set; }

    /// <summary>The REST API's base: GitHub Enterprise Server is <c>https://host/api/v3/</c>.</summary>
    [Url]
    public string BaseUrl { get; set; } = "https://api.github.com/";

    /// <summary>A markdown file with <c>{{placeholders}}</c> replacing the built-in post-mortem template.</summary>
    public string? TemplateFile { get; set; }

    [Range(1, 60)]
    public int DueBusinessDays { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Token) && !string.IsNullOrWhiteSpace(Owner) && !string.IsNullOrWhiteSpace(Repo);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(TemplateFile) && !File.Exists(TemplateFile))
        {
            yield return new ValidationResult($"TemplateFile '{TemplateFile}' does not exist.", [nameof(TemplateFile)]);
        }
    }
}
