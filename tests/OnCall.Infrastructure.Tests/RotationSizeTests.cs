using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;
using Xunit.Abstractions;
using static OnCall.Infrastructure.Tests.LargeRotations;

namespace OnCall.Infrastructure.Tests;

[Collection(StorageTests.Collection)]
public sealed class RotationSizeTests(AzuriteFixture azurite, ITestOutputHelper output) : IDisposable
{
    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private IRotationRepository Repository => _services.GetRequiredService<IRotationRepository>();

    [Fact]
    public async Task SaveAsync_LargestValidRotation_RoundTrips()
    {
        var random = new Random(1);
        var rotation = Rotation.Create(Settings(random, RandomPeople(random), LayerNames(random)), "hash", Samples.Now);

        await Repository.SaveAsync(rotation, null);

        AssertSame(rotation, (await Repository.FindAsync("platform"))!.Rotation);
    }

    [Fact]
    public async Task SaveAsync_ThousandRevisionsOfLargestRotation_EachRoundTripsWithinLimits()
    {
        var random = new Random(2);
        var now = Samples.Now;
        var rotation = Rotation.Create(Settings(random, RandomPeople(random), LayerNames(random)), "hash", now);
        await Repository.SaveAsync(rotation, null);
        var etag = (await Repository.FindAsync("platform"))!.ETag;
        long largest = 0;

        for (var i = 0; i < 1000; i++)
        {
            now += Duration.FromHours(1);
            rotation = rotation.Revise(Reshuffled(random, rotation.Settings), now);
            await Repository.SaveAsync(rotation, etag);

            var found = (await Repository.FindAsync("platform"))!;
            AssertSame(rotation, found.Rotation);
            etag = found.ETag;
            var row = await StoredRowAsync(_services, "platform");
            var parts = row.Select(p => p.Value).OfType<byte[]>().ToList();
            Assert.All(parts, p => Assert.InRange(p.Length, 1, TableRotationRepository.MaxPartBytes));
            Assert.InRange(parts.Sum(p => p.Length), 1, TableRotationRepository.MaxDocumentBytes);
            Assert.InRange(EntitySize(row), 1, MaxEntityBytes);
            Assert.All(rotation.Settings.Layers, l => Assert.InRange(rotation.RevisionsOf(l.Name).Count, 1, RevisionBound(l)));
            largest = Math.Max(largest, parts.Sum(p => p.Length));
        }

        output.WriteLine($"largest document {largest} bytes in {TableRotationRepository.MaxDocumentBytes}; {rotation.History.Count} revisions at the end");
    }

    [Fact]
    public async Task SaveAsync_FreshPeopleEveryHour_ThrowsTooLargeNamingHistory()
    {
        var random = new Random(3);
        var now = Samples.Now;
        var names = LayerNames(random);
        var rotation = Rotation.Create(Settings(random, RandomPeople(random), names), "hash", now);
        await Repository.SaveAsync(rotation, null);
        var etag = (await Repository.FindAsync("platform"))!.ETag;

        var error = await Assert.ThrowsAsync<TooLargeException>(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                now += Duration.FromHours(1);
                rotation = rotation.Revise(Settings(random, RandomPeople(random), names), now);
                await Repository.SaveAsync(rotation, etag);
                etag = (await Repository.FindAsync("platform"))!.ETag;
            }
        });

        Assert.Equal("history", error.Field);
    }

    [Fact]
    public async Task SaveAsync_SettingsAloneTooLarge_ThrowsTooLargeNamingLayers()
    {
        var random = new Random(4);
        var rotation = Rotation.Create(Settings(random, RandomPeople(random, 1000), LayerNames(random)), "hash", Samples.Now);

        var error = await Assert.ThrowsAsync<TooLargeException>(() => Repository.SaveAsync(rotation, null));

        Assert.Equal("layers", error.Field);
    }

    [Fact]
    public async Task SaveAsync_TooLarge_LeavesStoredRotationAlone()
    {
        var random = new Random(5);
        var names = LayerNames(random);
        var stored = Rotation.Create(Settings(random, RandomPeople(random, 2), names), "hash", Samples.Now);
        await Repository.SaveAsync(stored, null);
        var etag = (await Repository.FindAsync("platform"))!.ETag;

        var huge = stored.Revise(Settings(random, RandomPeople(random, 1000), names), Samples.Now + Duration.FromHours(1));
        await Assert.ThrowsAsync<TooLargeException>(() => Repository.SaveAsync(huge, etag));

        AssertSame(stored, (await Repository.FindAsync("platform"))!.Rotation);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>
    /// Revisions a layer revised every hour can hold: one per handoff within the retention, one at or
    /// before the cutoff, one pending, and one for a handoff that DST rounding puts inside the span.
    /// </summary>
    private static int RevisionBound(LayerDefinition layer) =>
        (int)Math.Ceiling(Rotation.HistoryRetention.TotalHours / layer.ShiftLengthHours) + 3;
}
