using OpenTelemetry.Trace;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Telemetry;

[Collection(StorageTests.Collection)]
public sealed class ExporterSettingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Start_NoExporterSetting_StartsNoTelemetrySdk()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        Assert.Null(app.App.Services.GetService(typeof(TracerProvider)));
    }

    [Fact]
    public async Task Start_OtlpEndpointSet_StartsTheSdkWithTheAppsSpans()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
        });

        var provider = app.App.Services.GetService(typeof(TracerProvider));

        Assert.NotNull(provider);
        Assert.True(Core.Diagnostics.OnCallTelemetry.Source.HasListeners());
    }
}
