using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
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

        FunctionMetadataWriter.Write(FunctionCatalogue.Default, output.FullName);

        Assert.Equal(
            FunctionCatalogue.Default.All.Select(f => f.Name).Order(StringComparer.Ordinal),
            output.GetDirectories().Where(d => File.Exists(Path.Combine(d.FullName, "function.json"))).Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FunctionMetadataWriter_HttpFunction_MatchesRouteMethodsAndAuth()
    {
        foreach (var function in FunctionCatalogue.Default.All.OfType<HttpFunction>())
        {
            var trigger = FunctionMetadataWriter.ToJson(function)["bindings"]![0]!;

            Assert.Equal(
                ("httpTrigger", function.Route, function.Access == Access.Anonymous ? "anonymous" : "function", string.Join(",", function.Methods).ToLowerInvariant()),
                (trigger["type"]!.GetValue<string>(), trigger["route"]!.GetValue<string>(), trigger["authLevel"]!.GetValue<string>(), string.Join(",", trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()))));
        }
    }

    [Fact]
    public void FunctionMetadataWriter_TimerFunction_ReadsScheduleFromItsSetting()
    {
        foreach (var function in FunctionCatalogue.Default.Timers)
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
            (standalone.BatchSize, standalone.MaxDequeueCount, standalone.VisibilityTimeout, standalone.MaxPollingInterval),
            (queues["batchSize"]!.GetValue<int>(), queues["maxDequeueCount"]!.GetValue<int>(), TimeSpan.Parse(queues["visibilityTimeout"]!.GetValue<string>(), CultureInfo.InvariantCulture), TimeSpan.Parse(queues["maxPollingInterval"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
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

        Assert.All(FunctionCatalogue.Default.Timers, t => Assert.True(values.ContainsKey(t.ScheduleAppSetting), $"{t.ScheduleAppSetting} missing"));
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
            FunctionCatalogue.Default.All.OfType<HttpFunction>().Select(f => (f.Name, f.Path, string.Join(",", f.Methods))).OrderBy(e => e.Name, StringComparer.Ordinal),
            endpoints);
    }

    [Fact]
    public async Task App_EveryCatalogueJob_ResolvesFromTheAppsServices()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var catalogue = app.Service<FunctionCatalogue>();

        var jobs = catalogue.Timers.Select(t => t.JobType).Concat(catalogue.Queues.Select(q => q.JobType)).ToList();

        Assert.NotEmpty(jobs);
        Assert.All(jobs, job => Assert.NotNull(app.App.Services.GetService(job)));
    }

    [Fact]
    public async Task Start_FunctionDeclaredWithoutItsJob_FailsNamingTheFunction()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            azurite.ConnectionString, services: s => s.AddSingleton(FunctionCatalogue.Default.With(RecordingQueueJob.Function))));

        Assert.Contains("RecordMessage (RecordingQueueJob)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalogue_SameNameTwice_IsRefused() =>
        Assert.Throws<ArgumentException>(() => FunctionCatalogue.Default.With(FunctionCatalogue.PruneFeedLedger));
}
