using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Http;
using OnCall.Infrastructure.Notifications;

namespace OnCall.Infrastructure;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="INotifier"/> to Slack and Teams webhooks from <c>OnCall:Notifications</c> (URLs validated at start),
    /// each an outgoing client whose timeouts and retries come from <c>OnCall:Notifications:Http</c>.
    /// </summary>
    public static IServiceCollection AddOnCallNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(NotificationOptions.Section);
        services.AddOptions<NotificationOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOutgoingClient<SlackNotifier>("slack", section.GetSection("Http"));
        services.AddOutgoingClient<TeamsNotifier>("teams", section.GetSection("Http"));
        services.AddTransient<INotificationChannel>(sp => sp.GetRequiredService<SlackNotifier>());
        services.AddTransient<INotificationChannel>(sp => sp.GetRequiredService<TeamsNotifier>());
        services.AddSingleton<INotifier>(sp => ActivatorUtilities.CreateInstance<CompositeNotifier>(
            sp, (Func<IEnumerable<INotificationChannel>>)sp.GetServices<INotificationChannel>));
        return services;
    }
}
