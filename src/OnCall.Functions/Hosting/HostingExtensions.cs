using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Options;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Http;

namespace OnCall.Functions.Hosting;

public static class HostingExtensions
{
    /// <summary>Settings sources and listening address for the hosting mode the environment asks for.</summary>
    public static HostingMode ConfigureHosting(this WebApplicationBuilder builder)
    {
        // local.settings.json ranks below environment variables and the command line, as with Core Tools.
        var sources = builder.Configuration.Sources;
        var environment = sources.ToList().FindLastIndex(s => s is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        sources.Insert(environment < 0 ? sources.Count : environment, LocalSettings.Source(Directory.GetCurrentDirectory()));

        var mode = HostingMode.From(builder.Configuration);
        if (mode.CustomHandlerPort is { } port)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(HostingMode.StandaloneUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBody.MaxBytes);
        return mode;
    }

    /// <summary>The hosting mode, the function catalogue, the clock, problem details and the app's own options.</summary>
    public static IServiceCollection AddOnCallHost(this IServiceCollection services, IConfiguration configuration, HostingMode mode)
    {
        services.AddSingleton(mode);
        services.AddSingleton(FunctionCatalogue.Default);
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        services.AddOptions<OnCallOptions>()
            .Bind(configuration.GetSection(OnCallOptions.Section))
            .Configure(o => o.UnderFunctionsHost = mode.UnderFunctionsHost)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>Timer functions: schedules checked at start, and the standalone scheduler unless the Functions host triggers them.</summary>
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
        if (!mode.UnderFunctionsHost)
        {
            services.AddHostedService<QueueListener>();
        }

        return services;
    }
}
