using Microsoft.Extensions.Configuration;
using OnCall.Core.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using OnCall.Core.Incidents;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Http;
using OnCall.Infrastructure.Incidents;
using OnCall.Infrastructure.Storage;

namespace OnCall.Infrastructure;

public static class IncidentsServiceCollectionExtensions
{
    /// <summary>
    /// Incidents: their table, the use cases, the Statuspage client (<c>OnCall:Statuspage</c>, an outgoing client with
    /// <c>OnCall:Statuspage:Http</c>), GitHub post-mortems (<c>OnCall:GitHub</c>), the ProcessIncidentEvent and
    /// RemindStatuspageOpen jobs. Options are validated at start. Needs storage, rotations and notifications.
    /// </summary>
    public static IServiceCollection AddOnCallIncidents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOnCallMetrics();
        services.AddOptions<IncidentOptions>()
            .Bind(configuration.GetSection(IncidentOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<StatuspageOptions>()
            .Bind(configuration.GetSection(StatuspageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<GitHubOptions>()
            .Bind(configuration.GetSection(GitHubOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var incidents = sp.GetRequiredService<IOptions<IncidentOptions>>().Value;
            var github = sp.GetRequiredService<IOptions<GitHubOptions>>().Value;
            return new IncidentSettings
            {
                DefaultRotation = string.IsNullOrWhiteSpace(incidents.DefaultRotation) ? null : incidents.DefaultRotation.Trim(),
                Severities = incidents.SeverityMap(),
                StatuspageThreshold = IncidentOptions.ParseSeverity(incidents.StatuspageThreshold)!.Value,
                PostMortemThreshold = IncidentOptions.ParseSeverity(incidents.PostMortemThreshold)!.Value,
                ClaimLease = Duration.FromTimeSpan(incidents.ClaimLease),
                StatuspageReminderAfter = Duration.FromTimeSpan(incidents.StatuspageReminderAfter),
                PostMortemDueBusinessDays = github.DueBusinessDays,
                PostMortemTemplate = string.IsNullOrWhiteSpace(github.TemplateFile) ? null : File.ReadAllText(github.TemplateFile),
            };
        });
        services.AddSingleton<IIncidentRepository, TableIncidentRepository>();
        services.AddTableHealthCheck(TableIncidentRepository.TableName);
        services.AddSingleton<IncidentService>();
        services.AddSingleton<StatuspageThrottle>();

        // No retries inside the HTTP pipeline by default: a create that timed out may have gone through, and only the
        // queue's next try looks for it (by our id in its metadata) before creating again. A 429 is put back on the
        // queue for its Retry-After. Registered before the client's Bind, so OnCall:Statuspage:Http still wins.
        services.Configure<OutgoingHttpOptions>("statuspage", o => o.MaxRetryAttempts = 0);
        services.AddOutgoingClient<IStatuspage, StatuspageClient>(
            "statuspage",
            configuration.GetSection($"{StatuspageOptions.Section}:Http"),
            (sp, client) =>
            {
                var baseUrl = sp.GetRequiredService<IOptions<StatuspageOptions>>().Value.BaseUrl;
                client.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            })
            .AddHttpMessageHandler(sp => new RequestCounter(sp.GetRequiredService<OnCallMetrics>(), "statuspage"));
        services.AddSingleton<IPostMortemTracker, GitHubPostMortems>();
        services.AddSingleton<ProcessIncidentEventJob>();
        services.AddSingleton<RemindStatuspageOpenJob>();
        return services;
    }
}
