using System.Text.RegularExpressions;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>A webhook answers 2xx only once the incident is stored and its event queued; otherwise the sender retries.</summary>
[Collection(StorageTests.Collection)]
public sealed partial class IngestStorageFaultTests(AzuriteFixture azurite)
{
    [GeneratedRegex(@"QueueEndpoint=http://127\.0\.0\.1:\d+/")]
    private static partial Regex QueueEndpoint();

    [Fact]
    public async Task Report_QueueUnreachable_Returns503WithRetryAfter()
    {
        await using var app = await TestApp.StartAsync(WithoutQueues(), Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.ReportAsync(IncidentKit.Generic());

        await Api.AssertProblemAsync(response, 503);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Report_RetriedAfterQueueFailure_SameIncidentAndEventQueued()
    {
        var prefix = AzuriteFixture.NewPrefix();
        await using (var broken = await TestApp.StartAsync(WithoutQueues(), Clocks.At(Api.Now), IncidentKit.Settings(listen: false), prefix))
        {
            (await broken.ReportAsync(IncidentKit.Generic())).Dispose();
        }

        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false), prefix);
        var retried = await app.ReportOkAsync(IncidentKit.Generic());

        Assert.Single((await app.Reader.GetJsonAsync("/api/incidents")).AsArray());
        Assert.Equal(1, await app.QueuedAsync());
        Assert.Equal(retried["id"]!.GetValue<string>(), (await app.Reader.GetJsonAsync("/api/incidents")).AsArray()[0]!["id"]!.GetValue<string>());
    }

    // Tables answer, queues do not: the incident can be stored but its event cannot be queued.
    private string WithoutQueues() => QueueEndpoint().Replace(azurite.ConnectionString, $"QueueEndpoint=http://127.0.0.1:{FreePort.Next()}/");
}
