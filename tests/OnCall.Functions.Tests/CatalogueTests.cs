using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnCall.Core.Incidents;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>
/// The SDK-generated <c>functions.metadata</c> (what the Functions host indexes) held against what standalone mode
/// actually serves, schedules and listens to, read from the same <c>[Function]</c> declarations.
/// </summary>
[Collection(StorageTests.Collection)]
public sealed class CatalogueTests(AzuriteFixture azurite)
{
    [Fact]
    public void Metadata_Functions_AreTheCatalogues()
    {
        Assert.Equal(
            FunctionCatalogue.Default.All.Select(f => f.Name).Order(StringComparer.Ordinal),
            FunctionsMetadata.Read().Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Metadata_EntryPoints_AreTheDeclaringMethods()
    {
        var metadata = FunctionsMetadata.Read().ToDictionary(f => f.Name);

        Assert.All(FunctionCatalogue.Default.All, f => Assert.Equal(
            ($"{f.Method.DeclaringType!.FullName}.{f.Method.Name}", "OnCall.Functions.dll", "dotnet-isolated"),
            (metadata[f.Name].EntryPoint, metadata[f.Name].ScriptFile, metadata[f.Name].Language)));
    }

    [Fact]
    public async Task Metadata_HttpFunctions_AreTheStandaloneRoutes()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var standalone = app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .Select(e => (e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, e.RoutePattern.RawText!, string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)))
            .OrderBy(e => e.EndpointName, StringComparer.Ordinal);

        var host = FunctionsMetadata.Read().Where(f => f.Trigger.Type == "httpTrigger")
            .Select(f => (f.Name, $"/api/{f.Trigger.Route}", string.Join(",", f.Trigger.Methods!.Select(m => m.ToUpperInvariant()))))
            .OrderBy(e => e.Name, StringComparer.Ordinal);

        Assert.Equal(host, standalone);
    }

    [Fact]
    public void Metadata_HttpFunctions_AreAnonymousAtTheHost()
    {
        // The app checks its own admin and read-only keys, the same in both modes.
        Assert.All(FunctionsMetadata.Read().Where(f => f.Trigger.Type == "httpTrigger"), f => Assert.Equal("Anonymous", f.Trigger.AuthLevel));
    }

    [Fact]
    public void Metadata_Routes_NeverStartWithAdminOrRuntime()
    {
        // The host refuses such a route and skips the whole function.
        Assert.All(FunctionsMetadata.Read().Where(f => f.Trigger.Type == "httpTrigger"), f => Assert.DoesNotMatch("^(admin|runtime)(/|$)", f.Trigger.Route!));
    }

    [Fact]
    public async Task Metadata_TimerSchedules_AreTheSettingsStandaloneReads()
    {
        var timers = FunctionsMetadata.Read().Where(f => f.Trigger.Type == "timerTrigger").ToList();
        var settings = timers.ToDictionary(
            t => t.Trigger.Schedule!.Trim('%').Replace("__", ":", StringComparison.Ordinal),
            t => string.Create(CultureInfo.InvariantCulture, $"{timers.IndexOf(t)} 0 0 1 1 *"));
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: settings);

        var standalone = app.Service<IOptions<TimerScheduleOptions>>().Value.Expressions;

        Assert.Equal(
            timers.Select(t => (t.Name, settings[$"OnCall:Schedules:{t.Name}"])).OrderBy(t => t.Name, StringComparer.Ordinal),
            standalone.Select(p => (p.Key, p.Value)).OrderBy(t => t.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Metadata_QueueTriggers_AreTheQueuesStandaloneListensTo()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var queues = app.Service<QueueProvider>();

        var host = FunctionsMetadata.Read().Where(f => f.Trigger.Type == "queueTrigger")
            .Select(f => (f.Name, f.Trigger.QueueName!.Replace("%OnCall__Storage__Prefix%", app.Prefix, StringComparison.Ordinal), f.Trigger.Connection))
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        var standalone = app.Service<FunctionCatalogue>().Queues.Select(q => (q.Name, queues.StorageName(q.Queue), (string?)q.Connection))
            .OrderBy(f => f.Name, StringComparer.Ordinal);

        Assert.Equal(host, standalone);
    }

    [Fact]
    public void ProcessIncidentEvent_ReadsTheQueueIncidentsAreSentTo() =>
        Assert.Equal(IncidentQueues.Events.Name, FunctionCatalogue.Default.Queues.Single(q => q.Name == "ProcessIncidentEvent").Queue);

    [Fact]
    public void CheckRotationCoverage_ReadsTheQueueWritesAreSentTo() =>
        Assert.Equal(Core.TimeOff.CoverageQueues.Checks.Name, FunctionCatalogue.Default.Queues.Single(q => q.Name == "CheckRotationCoverage").Queue);

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
    public void HostJson_IsAnIsolatedWorkerAppsUnderApi()
    {
        var host = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("host.json")))!.AsObject();

        Assert.Equal((HttpFunction.RoutePrefix, "2.0"), (host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>(), host["version"]!.GetValue<string>()));
        Assert.False(host.ContainsKey("customHandler"), "host.json still declares a custom handler");
    }

    [Fact]
    public void LocalSettingsSample_ListsEveryTimerSchedule()
    {
        var values = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("local.settings.sample.json")))!["Values"]!.AsObject();

        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.All(FunctionCatalogue.Default.Timers, t => Assert.True(values.ContainsKey(t.ScheduleAppSetting), $"{t.ScheduleAppSetting} missing"));
    }

    [Fact]
    public async Task Start_FunctionClassNeedsUnregisteredService_FailsNamingIt()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            azurite.ConnectionString, services: s => s.AddSingleton(FunctionCatalogue.Default.With(typeof(RecordingFunctions)))));

        Assert.Contains("RecordingFunctions needs RecordingQueueJob", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalogue_SameNameTwice_IsRefused() =>
        Assert.Throws<ArgumentException>(() => FunctionCatalogue.Default.With(typeof(SecondPruneFeedLedger)));

    public sealed class SecondPruneFeedLedger
    {
        [Function("PruneFeedLedger")]
        [DefaultSchedule("0 0 * * * *")]
        public static Task Run([TimerTrigger("%OnCall__Schedules__Other%")] TimerInfo timer) => Task.CompletedTask;
    }
}
