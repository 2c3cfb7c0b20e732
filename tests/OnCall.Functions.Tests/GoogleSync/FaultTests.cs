using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

/// <summary>On the system clock: the retries really wait. Each test syncs once first, so the faults meet the API, not the token endpoint.</summary>
[Collection(StorageTests.Collection)]
public sealed class FaultTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SyncCalendars_429WithRetryAfter_WaitsItOutAndSucceeds()
    {
        await using var kit = await StartSyncedAsync();
        var before = kit.Google.ApiRequests.Count;
        kit.Google.Enqueue(FakeResponse.TooManyRequests(TimeSpan.FromSeconds(1)));

        var status = await kit.SyncAsync();

        Assert.Null(status["lastError"]);
        var requests = kit.Google.ApiRequests.Skip(before).ToList();
        var gap = requests[1].ReceivedAt - requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"retried after {gap.TotalMilliseconds} ms");
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_500_IsRetried()
    {
        await using var kit = await StartSyncedAsync();
        kit.Google.Enqueue(FakeResponse.Status(500));

        var status = await kit.SyncAsync();

        Assert.Null(status["lastError"]);
        Assert.Equal(1, status["requests"]!.GetValue<int>());
    }

    [Fact]
    public async Task SyncCalendars_403RateLimitExceeded_IsRetried()
    {
        await using var kit = await StartSyncedAsync();
        kit.Google.Enqueue(FakeResponse.Status(403, RateLimited) with { ContentType = "application/json" });

        var status = await kit.SyncAsync();

        Assert.Null(status["lastError"]);
    }

    [Fact]
    public async Task SyncCalendars_403Forbidden_IsNotRetriedAndIsReported()
    {
        await using var kit = await StartSyncedAsync();
        var before = kit.Google.ApiRequests.Count;
        kit.Google.Enqueue(FakeResponse.Status(403, """{"error":{"errors":[{"domain":"global","reason":"forbidden"}],"code":403}}""") with { ContentType = "application/json" });

        var status = await kit.SyncAsync();

        Assert.Equal("events.list: HTTP 403 forbidden", status["lastError"]!.GetValue<string>());
        Assert.Equal(before + 1, kit.Google.ApiRequests.Count);
    }

    [Fact]
    public async Task SyncCalendars_SlowAnswer_TimesOutAndIsRetried()
    {
        await using var kit = await StartSyncedAsync();
        kit.Google.Enqueue(FakeResponse.Slow(TimeSpan.FromSeconds(4)));

        var status = await kit.SyncAsync();

        Assert.Null(status["lastError"]);
    }

    [Fact]
    public async Task SyncCalendars_CallsInBatchRateLimited_RetriesOnlyThoseInANextBatch()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite, realClock: true);
        await kit.CreateAsync();
        kit.Google.EnqueueCallFault(403, "rateLimitExceeded", times: 2);

        var status = await kit.SyncAsync();

        Assert.Null(status["lastError"]);
        Assert.Equal(3, status["requests"]!.GetValue<int>());
        Assert.Equal(2, kit.Google.ApiRequests.Count(r => r.Path == "/batch/calendar/v3"));
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_CallsStillFailing_ReportsAndTheNextRunFinishes()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite, realClock: true, new Dictionary<string, string> { ["OnCall:Google:MaxRetryRounds"] = "0" });
        await kit.CreateAsync();
        kit.Google.EnqueueCallFault(500, "backendError", times: 3);

        var first = await kit.SyncAsync();
        var second = await kit.SyncAsync();

        Assert.Contains("backendError", first["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(second["lastError"]);
        Assert.Equal(3, second["counts"]!["inserted"]!.GetValue<int>());
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_OneCalendarDenied_OthersStillSync()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite, realClock: true);
        kit.Google.DenyCalendar("alpha@group.calendar.google.com");
        await kit.App.CreateAsync(GoogleSyncKit.Rotation("alpha", "alpha@group.calendar.google.com"));
        await kit.CreateAsync();

        var platform = await kit.SyncAsync();
        var alpha = await kit.StatusAsync("alpha");

        Assert.Null(platform["lastError"]);
        Assert.NotEmpty(kit.Ours());
        Assert.Equal("events.list: HTTP 403 requiredAccessLevel", alpha["lastError"]!.GetValue<string>());
    }

    private const string RateLimited = """{"error":{"errors":[{"domain":"usageLimits","reason":"rateLimitExceeded","message":"Rate Limit Exceeded"}],"code":403,"message":"Rate Limit Exceeded"}}""";

    private async Task<GoogleSyncKit> StartSyncedAsync()
    {
        var kit = await GoogleSyncKit.StartAsync(azurite, realClock: true);
        await kit.CreateAsync();
        var status = await kit.SyncAsync();
        Assert.Null(status["lastError"]);
        return kit;
    }
}
