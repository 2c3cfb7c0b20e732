using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OnCall.Core.Diagnostics;
using OnCall.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OnCall.Functions.Hosting;

public static class TelemetryExtensions
{
    /// <summary>The setting the Bicep (and App Service) set for Application Insights.</summary>
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>OpenTelemetry's own setting for an OTLP collector.</summary>
    public const string OtlpSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// OpenTelemetry traces, metrics and logs, the same in both hosting modes: one span per function invocation
    /// (<see cref="OnCallTelemetry"/>), child spans for every outgoing call (HTTP, storage and Service Bus through the
    /// Azure SDK's activity sources), the <c>OnCall</c> meter, and logs carrying the trace id. Exported to Azure Monitor
    /// when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is;
    /// otherwise the SDK is not started at all. URLs keep host and path only, and a webhook's URL only its host
    /// (<see cref="UrlRedaction"/>).
    /// </summary>
    public static IServiceCollection AddOnCallTelemetry(this IServiceCollection services, IConfiguration configuration, HostingMode mode)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(mode);
        services.AddOnCallMetrics();

        // The Azure SDK (Tables, Queues, Blobs, Service Bus) publishes its spans on ActivitySources only when asked.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        // What to collect applies to whichever OpenTelemetry SDK is started (below, or a test's in-memory one)...
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddProcessor(new UrlRedaction())
            .AddSource(OnCallTelemetry.Name)
            .AddSource("Azure.*")
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation());
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(OnCallTelemetry.Name)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation());
        services.Configure<OpenTelemetryLoggerOptions>(options =>
        {
            options.IncludeFormattedMessage = true;
            options.IncludeScopes = true;
        });

        // ...which starts only when there is somewhere to export to: otherwise start-up and requests pay nothing for it.
        var azureMonitor = configuration[AzureMonitorSetting];
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpSetting]);
        if (string.IsNullOrWhiteSpace(azureMonitor) && !otlp)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                "oncall-functions",
                serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithTracing()
            .WithMetrics()
            .WithLogging();
        if (mode.UnderFunctionsHost)
        {
            // The worker's invocation spans and the Functions resource attributes (site name, region, …).
            telemetry.UseFunctionsWorkerDefaults();
        }

        if (!string.IsNullOrWhiteSpace(azureMonitor))
        {
            telemetry.UseAzureMonitorExporter(options => options.ConnectionString = azureMonitor);
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
