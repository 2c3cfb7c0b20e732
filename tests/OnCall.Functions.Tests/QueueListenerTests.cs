using Azure.Storage.Queues;
using OnCall.Core.Jobs;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>Standalone mode's queue trigger against Azurite, with a test queue function.</summary>
[Collection(StorageTests.Collection)]
public sealed class QueueListenerTests(AzuriteFixture azurite)
{
    // Retry at once and poll often, so five tries take moments, not minutes.
    private static readonly Dictionary<string, string> FastRetries = new()
    {
        ["OnCall:Queues:VisibilityTimeout"] = "00:00:00",
        ["OnCall:Queues:MaxPollingInterval"] = "00:00:00.100",
    };

    [Fact]
    public async Task Listener_Message_IsHandledOnceAndDeleted()
    {
        var job = new RecordingQueueJob();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: FastRetries, services: job.Register());

        await SendAsync(app, "42");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(!job.Handled.IsEmpty)), "the message was not handled");
        Assert.Equal(("42", 1L), (job.Handled.Single().Body.Incident, job.Handled.Single().DequeueCount));
        Assert.True(await Eventually.TrueAsync(async () => await CountAsync(app, "records") == 0), "the message was not deleted");
    }

    [Fact]
    public async Task Listener_HandlerSlowerThanLease_RenewsAndHandlesOnce()
    {
        // A handler that outlives its lease three times over; without renewal the message would reappear and run again.
        var job = new RecordingQueueJob(takes: TimeSpan.FromSeconds(6));
        var settings = new Dictionary<string, string>(FastRetries) { ["OnCall:Queues:MessageLease"] = "00:00:02" };
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: settings, services: job.Register());

        await SendAsync(app, "slow");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(!job.Handled.IsEmpty)), "the message was not handled");
        Assert.True(await Eventually.TrueAsync(async () => await CountAsync(app, "records") == 0), "the message was not deleted");
        Assert.Equal(1, job.Tries);
    }

    [Fact]
    public async Task Listener_HandlerFailsOnce_RetriesAndSucceeds()
    {
        var job = new RecordingQueueJob(failTimes: 1);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: FastRetries, services: job.Register());

        await SendAsync(app, "retry me");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(!job.Handled.IsEmpty)), "the message was not retried");
        Assert.Equal(2L, job.Handled.Single().DequeueCount);
    }

    [Fact]
    public async Task Listener_HandlerAlwaysFails_MovesMessageToPoisonAfterFiveTries()
    {
        var job = new RecordingQueueJob(failTimes: int.MaxValue);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: FastRetries, services: job.Register());

        await SendAsync(app, "poison me");

        Assert.True(await Eventually.TrueAsync(async () => await CountAsync(app, "records-poison") == 1), "the message did not reach the poison queue");
        Assert.Equal((5, 0), (job.Tries, await CountAsync(app, "records")));
        Assert.Equal("""{"incident":"poison me"}""", (await (await Queue(app, "records-poison")).PeekMessageAsync()).Value.Body.ToString());
    }

    [Fact]
    public async Task Listener_UnreadableMessage_MovesToPoisonWithoutRetrying()
    {
        var job = new RecordingQueueJob();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: FastRetries, services: job.Register());

        await (await Queue(app, "records")).SendMessageAsync("not json");

        Assert.True(await Eventually.TrueAsync(async () => await CountAsync(app, "records-poison") == 1), "the message did not reach the poison queue");
        Assert.Equal(0, job.Tries);
    }

    [Fact]
    public async Task ListPoisonMessages_AfterLastTry_ShowsTheMessage()
    {
        var job = new RecordingQueueJob(failTimes: int.MaxValue);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: FastRetries, services: job.Register());
        await SendAsync(app, "poison me");
        await Eventually.TrueAsync(async () => await CountAsync(app, "records-poison") == 1);

        var poison = (await app.Admin.GetJsonAsync("/api/ops/poison")).AsArray().Single(q => q!["function"]!.GetValue<string>() == "RecordMessage")!;

        Assert.Equal(("RecordMessage", """{"incident":"poison me"}"""), (poison["function"]!.GetValue<string>(), poison["messages"]![0]!["body"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListPoisonMessages_WithoutKey_Returns401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.GetAsync("/api/ops/poison");

        await Api.AssertProblemAsync(response, 401);
    }

    private static Task SendAsync(TestApp app, string incident) =>
        app.Service<IWorkQueueSender>().EnqueueAsync(RecordingQueueJob.Queue, new Recorded(incident));

    private static Task<QueueClient> Queue(TestApp app, string queue) => app.Service<QueueProvider>().GetAsync(queue);

    private static async Task<int> CountAsync(TestApp app, string queue) =>
        (await (await Queue(app, queue)).GetPropertiesAsync()).Value.ApproximateMessagesCount;
}
