using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Handoffs;
using OnCall.Core.Notifications;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

[Collection(StorageTests.Collection)]
public sealed class TableHandoffRepositoryTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly Instant Due = Instant.FromUtc(2026, 11, 12, 15, 0);

    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private TableHandoffRepository Repository => new(_services.GetRequiredService<TableProvider>());

    [Fact]
    public async Task AddIfAbsentAsync_SameIdTwice_SecondReturnsFalse()
    {
        Assert.True(await Repository.AddIfAbsentAsync(Sample(Due)));

        Assert.False(await Repository.AddIfAbsentAsync(Sample(Due) with { Incoming = new Member("Sam", "sam@example.com") }));
    }

    [Fact]
    public async Task FindAsync_AfterSave_RoundTripsNoticesAndCarriedOver()
    {
        var handoff = Sample(Due).WithNotice(HandoffNoticeKind.Missed, new HandoffNotice(Due, 2, Due, Due, [NotificationChannel.Teams], [ChannelDelivery.Sent(NotificationChannel.Slack), ChannelDelivery.Failed(NotificationChannel.Teams, "timed out")])) with
        {
            CarriedOver = ["INC-1 open"],
            Status = HandoffStatus.Missed,
            MissedAt = Due + Duration.FromMinutes(31),
        };
        await Repository.AddIfAbsentAsync(Sample(Due));
        var stored = await Repository.FindAsync(handoff.Id);
        await Repository.SaveAsync(handoff, stored!.ETag);

        var found = (await Repository.FindAsync(handoff.Id))!.Handoff;

        Assert.Equal((handoff.Status, handoff.MissedAt, handoff.CarriedOver.Single()), (found.Status, found.MissedAt, found.CarriedOver.Single()));
        Assert.Equal(handoff.Notice(HandoffNoticeKind.Missed)!.Channels, found.Notice(HandoffNoticeKind.Missed)!.Channels);
    }

    [Fact]
    public async Task SaveAsync_StaleETag_ThrowsConcurrency()
    {
        await Repository.AddIfAbsentAsync(Sample(Due));
        var stored = (await Repository.FindAsync(Sample(Due).Id))!;
        await Repository.SaveAsync(stored.Handoff with { Notes = "first" }, stored.ETag);

        await Assert.ThrowsAsync<ConcurrencyException>(() => Repository.SaveAsync(stored.Handoff with { Notes = "second" }, stored.ETag));
    }

    [Fact]
    public async Task ListDueAsync_Window_OnlyHandoffsDueInIt()
    {
        foreach (var hours in new[] { -50, -1, 0, 1, 30 })
        {
            await Repository.AddIfAbsentAsync(Sample(Due + Duration.FromHours(hours)));
        }

        var found = await Repository.ListDueAsync(Due - Duration.FromHours(1), Due + Duration.FromHours(1));

        Assert.Equal([Due - Duration.FromHours(1), Due], found.Select(h => h.Handoff.Due).Order());
    }

    public void Dispose() => _services.Dispose();

    private static Handoff Sample(Instant due) => new(
        Handoff.IdFor("platform", "secondary", due),
        "platform",
        "secondary",
        new Member("Lin", "lin@example.com"),
        new Member("Ada", "ada@example.com"),
        due,
        Duration.FromMinutes(30),
        HandoffStatus.Pending,
        due - Duration.FromDays(1));
}
