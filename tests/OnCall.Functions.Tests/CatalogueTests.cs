using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class CatalogueTests(AzuriteFixture azurite)
{
    [Fact]
    public void FunctionMetadataWriter_WritesOneFolderPerCatalogueEntry()
    {
        var output = Directory.CreateTempSubdirectory("functions-");

        FunctionMetadataWriter.Write(output.FullName);

        Assert.Equal(
            FunctionCatalogue.All.Select(f => f.Name).Order(StringComparer.Ordinal),
            output.GetDirectories().Where(d => File.Exists(Path.Combine(d.FullName, "function.json"))).Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FunctionMetadataWriter_HttpFunction_MatchesRouteMethodsAndAuth()
    {
        foreach (var function in FunctionCatalogue.All.OfType<HttpFunction>())
        {
            var trigger = FunctionMetadataWriter.ToJson(function)["bindings"]![0]!;

            Assert.Equal(
                ("httpTrigger", function.Route, function.Auth == AuthLevel.Function ? "function" : "anonymous", string.Join(",", function.Methods).ToLowerInvariant()),
                (trigger["type"]!.GetValue<string>(), trigger["route"]!.GetValue<string>(), trigger["authLevel"]!.GetValue<string>(), string.Join(",", trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()))));
        }
    }

    [Fact]
    public void FunctionMetadataWriter_TimerFunction_ReadsScheduleFromItsSetting()
    {
        foreach (var function in FunctionCatalogue.Timers)
        {
            var trigger = FunctionMetadataWriter.ToJson(function)["bindings"]![0]!;

            Assert.Equal(("timerTrigger", $"%OnCall__Schedules__{function.Name}%"), (trigger["type"]!.GetValue<string>(), trigger["schedule"]!.GetValue<string>()));
        }
    }

    [Fact]
    public void FunctionMetadataWriter_QueueFunction_ReadsPrefixedQueueFromStorage()
    {
        var trigger = FunctionMetadataWriter.ToJson(RecordingQueueJob.Function)["bindings"]![0]!;

        Assert.Equal(
            ("queueTrigger", "%OnCall__Storage__Prefix%-records", QueueFunction.BindingName, "AzureWebJobsStorage"),
            (trigger["type"]!.GetValue<string>(), trigger["queueName"]!.GetValue<string>(), trigger["name"]!.GetValue<string>(), trigger["connection"]!.GetValue<string>()));
    }

    [Fact]
    public void HostJson_QueueRetries_MatchStandaloneDefaults()
    {
        var queues = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("host.json")))!["extensions"]!["queues"]!;
        var standalone = new QueueOptions();

        Assert.Equal(
            (standalone.MaxDequeueCount, standalone.VisibilityTimeout, standalone.MaxPollingInterval),
            (queues["maxDequeueCount"]!.GetValue<int>(), TimeSpan.Parse(queues["visibilityTimeout"]!.GetValue<string>(), CultureInfo.InvariantCulture), TimeSpan.Parse(queues["maxPollingInterval"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void HostJson_CustomHandler_RunsThisExecutableAndProxiesHttp()
    {
        var host = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("host.json")))!;

        Assert.Equal(
            (typeof(OnCallApplication).Assembly.GetName().Name, true, HttpFunction.RoutePrefix, "2.0"),
            (host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>(),
             host["customHandler"]!["enableProxyingHttpRequest"]!.GetValue<bool>(),
             host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>(),
             host["version"]!.GetValue<string>()));
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host["extensionBundle"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void LocalSettingsSample_ListsEveryTimerSchedule()
    {
        var values = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("local.settings.sample.json")))!["Values"]!.AsObject();

        Assert.All(FunctionCatalogue.Timers, t => Assert.True(values.ContainsKey(t.ScheduleAppSetting), $"{t.ScheduleAppSetting} missing"));
    }

    [Fact]
    public async Task App_EveryHttpFunction_IsServedAtItsCatalogueRouteAndMethods()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        var endpoints = app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .Select(e => (e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, "/" + e.RoutePattern.RawText!.TrimStart('/'), string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)))
            .OrderBy(e => e.EndpointName, StringComparer.Ordinal);

        Assert.Equal(
            FunctionCatalogue.All.OfType<HttpFunction>().Select(f => (f.Name, f.Path, string.Join(",", f.Methods))).OrderBy(e => e.Name, StringComparer.Ordinal),
            endpoints);
    }
}
