using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnCall.Core.Ports;

namespace OnCall.Infrastructure.Tests.Notifications;

/// <summary>The notifiers as the app registers them, from settings, with start-up validation run as the host would.</summary>
internal static class NotificationServices
{
    // Short waits so retries take milliseconds; the attempt timeout stays long enough for a loaded CI machine.
    private static readonly Dictionary<string, string?> TestDefaults = new()
    {
        ["OnCall:Notifications:Http:RetryBaseDelay"] = "00:00:00.050",
        ["OnCall:Notifications:Http:AttemptTimeout"] = "00:00:05",
        ["OnCall:Notifications:Http:TotalTimeout"] = "00:00:20",
    };

    public static ServiceProvider Create(IDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var all = new Dictionary<string, string?>(TestDefaults);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection()
            .AddLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Trace);
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                }
            })
            .AddSingleton(TimeProvider.System)
            .AddOnCallNotifications(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        services.GetRequiredService<IStartupValidator>().Validate();
        return services;
    }

    public static INotifier Notifier(this ServiceProvider services) => services.GetRequiredService<INotifier>();
}
