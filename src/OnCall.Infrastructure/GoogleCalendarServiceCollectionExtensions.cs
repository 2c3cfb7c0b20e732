using Microsoft.Extensions.Configuration;
using OnCall.Core.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnCall.Core.CalendarSync;
using OnCall.Core.Jobs;
using OnCall.Core.Ports;
using OnCall.Infrastructure.GoogleCalendar;
using OnCall.Infrastructure.Http;
using OnCall.Infrastructure.Storage;

namespace OnCall.Infrastructure;

public static class GoogleCalendarServiceCollectionExtensions
{
    /// <summary>
    /// The Google Calendar sync: options from <c>OnCall:Google</c> (checked at start; off while no service-account key is
    /// set), the API client as an outgoing client whose timeouts and retries come from <c>OnCall:Google:Http</c>, the
    /// sync's table, the use case and the SyncCalendars job. Needs storage, rotations and calendar feeds.
    /// </summary>
    public static IServiceCollection AddOnCallGoogleCalendar(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOnCallMetrics();
        var section = configuration.GetSection(GoogleCalendarOptions.Section);
        services.AddOptions<GoogleCalendarOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The token endpoint is called through the same pipeline and settings as the API; the tokens are kept per process.
        services.AddOutgoingClient<GoogleTokenEndpoint>("google-token", section.GetSection("Http"));
        services.AddSingleton<GoogleAccessTokens>();
        services.AddOutgoingClient<IGoogleCalendar, GoogleCalendarClient>(
            "google",
            section.GetSection("Http"),
            (sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<GoogleCalendarOptions>>().Value.BaseUrl,
            GoogleErrors.IsRateLimited403Async)
            .AddHttpMessageHandler(sp => new RequestCounter(sp.GetRequiredService<OnCallMetrics>(), "google"));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GoogleCalendarOptions>>().Value;
            return new CalendarSyncSettings(
                options.MembersAsAttendees,
                options.RetryBaseDelay,
                options.MaxRetryDelay,
                options.MaxRetryRounds);
        });
        services.AddSingleton<ICalendarSyncStore, TableCalendarSyncStore>();
        services.AddTableHealthCheck(TableCalendarSyncStore.TableName);
        services.AddSingleton<CalendarSyncService>();
        services.AddSingleton<SyncCalendarsJob>();
        return services;
    }
}
