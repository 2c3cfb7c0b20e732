using System.Text;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Tests.Fakes;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Services;

/// <summary>The feed with rotations and ledger in memory; the rotation is created through RotationService, which reconciles it.</summary>
public sealed class FeedServiceTests
{
    private static readonly Instant Now = Utc("2026-11-10T12:00:00Z");

    private readonly RotationWorld _world = new(Now);
    private readonly LineFeedWriter _writer = new();
    private readonly FeedService _feeds;

    public FeedServiceTests() => _feeds = new FeedService(_world.Rotations, _world.Ledger, _writer, _world.Clock);

    [Fact]
    public async Task GetAsync_WrongToken_NotFoundAsForAMissingRotation()
    {
        await _world.Service.PutAsync(Settings());

        var error = await Assert.ThrowsAsync<NotFoundException>(() => _feeds.GetAsync("platform", "guess"));

        Assert.Equal("Calendar feed", error.Resource);
    }

    [Fact]
    public async Task GetAsync_NoToken_NotFound()
    {
        await _world.Service.PutAsync(Settings());

        await Assert.ThrowsAsync<NotFoundException>(() => _feeds.GetAsync("platform", null));
    }

    [Fact]
    public async Task GetAsync_UnknownRotation_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => _feeds.GetAsync("payments", "token"));

    [Fact]
    public async Task GetAsync_Reconciled_ETagIsTheStateVersion()
    {
        var token = (await _world.Service.PutAsync(Settings())).FeedToken;

        var feed = await _feeds.GetAsync("platform", token);

        Assert.Equal($"\"{(await _world.Ledger.GetStateAsync("platform"))!.Version}\"", feed.ETag);
    }

    [Fact]
    public async Task GetAsync_Reconciled_BodyHasEveryEntryOfTheWindow()
    {
        var token = (await _world.Service.PutAsync(Settings())).FeedToken;

        var body = await BodyAsync(await _feeds.GetAsync("platform", token));

        Assert.Equal(_world.Ledger.EntriesOf("platform").Count, body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
        Assert.Contains("lin@example.com", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_SameVersionTwice_BodyBuiltOnce()
    {
        var token = (await _world.Service.PutAsync(Settings())).FeedToken;

        await BodyAsync(await _feeds.GetAsync("platform", token));
        await BodyAsync(await _feeds.GetAsync("platform", token));

        Assert.Equal(1, _writer.Writes);
    }

    [Fact]
    public async Task GetAsync_NeverReconciled_ComputedWithoutWriting()
    {
        var (token, hash) = FeedToken.New();
        _world.Rotations.Seed(Rotation() with { FeedTokenHash = hash });

        var feed = await _feeds.GetAsync("platform", token);

        Assert.Matches("^\"[0-9a-f]{32}\"$", feed.ETag);
        Assert.Contains("lin@example.com", await BodyAsync(feed), StringComparison.Ordinal);
        Assert.Equal(0, _world.Ledger.Commits);
    }

    private static async Task<string> BodyAsync(CalendarFeed feed, CancellationToken cancellationToken = default) =>
        Encoding.UTF8.GetString(await (await feed.ReadBodyAsync(cancellationToken)).ToPlainArrayAsync(cancellationToken));
}
