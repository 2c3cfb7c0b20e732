using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Options;
using OnCall.Core.Serialization;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Http;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Functions.Hosting;

public static class HostingExtensions
{
    /// <summary>Standalone: settings sources (local.settings.json as Core Tools reads it) and the listening address.</summary>
    public static void ConfigureStandaloneHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // local.settings.json ranks below environment variables and the command line, as with Core Tools.
        var sources = builder.Configuration.Sources;
        var environment = sources.ToList().FindLastIndex(s => s is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        sources.Insert(environment < 0 ? sources.Count : environment, LocalSettings.Source(Directory.GetCurrentDirectory()));
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(HostingMode.StandaloneUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBody.MaxBytes);
    }

    /// <summary>
    /// The hosting mode, the function catalogue, the clock, the HTTP edge (keys, problem+json, JSON) and the public
    /// address.
    /// </summary>
    public static IServiceCollection AddOnCallHost(this IServiceCollection services, IConfiguration configuration, HostingMode mode)
    {
        services.AddSingleton(mode);
        services.AddSingleton(FunctionCatalogue.Default);
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.WithNodaTime();
        });
        services.AddOptions<OnCallOptions>()
            .Bind(configuration.GetSection(OnCallOptions.Section))
            .Configure(o => o.UnderFunctionsHost = mode.UnderFunctionsHost)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<HttpEdge>();
        services.AddSingleton<IPublicBaseUrl, PublicBaseUrl>();
        services.AddSingleton<FeedLinks>();
        return services;
    }

    /// <summary>Timer functions: schedules checked at start; standalone, the scheduler and the manual-run lease.</summary>
    public static IServiceCollection AddOnCallTimers(this IServiceCollection services, IConfiguration configuration, HostingMode mode)
    {
        services.AddOptions<TimerScheduleOptions>()
            .Configure<FunctionCatalogue>((o, catalogue) => TimerScheduleOptions.Configure(o, configuration, catalogue))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TimerScheduleOptions>, TimerScheduleValidator>();
        services.AddSingleton<TimerInvoker>();
        if (!mode.UnderFunctionsHost)
        {
            services.AddHostedService<TimerScheduler>();
        }

        return services;
    }

    /// <summary>Queue functions: retry settings, and the standalone listener unless the Functions host triggers them.</summary>
    public static IServiceCollection AddOnCallQueues(this IServiceCollection services, IConfiguration configuration, HostingMode mode)
    {
        services.AddOptions<QueueOptions>()
            .Bind(configuration.GetSection(QueueOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<QueueInvoker>();
        services.AddSingleton<Jobs.PoisonCount>();
        if (!mode.UnderFunctionsHost)
        {
            services.AddHostedService<QueueListener>();
        }

        return services;
    }
}
