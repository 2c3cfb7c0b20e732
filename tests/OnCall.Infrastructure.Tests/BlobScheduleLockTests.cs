using Microsoft.Extensions.DependencyInjection;
using OnCall.Infrastructure.Hosting;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

[Collection(StorageTests.Collection)]
public sealed class BlobScheduleLockTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset Occurrence = new(2026, 11, 22, 3, 30, 0, TimeSpan.Zero);
    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private BlobScheduleLock Lock => _services.GetRequiredService<BlobScheduleLock>();

    [Fact]
    public async Task TryAcquireAsync_WhileHeldElsewhere_ReturnsNull()
    {
        await using var held = await Lock.TryAcquireAsync("Job", Occurrence);

        Assert.NotNull(held);
        Assert.Null(await Lock.TryAcquireAsync("Job", Occurrence));
    }

    [Fact]
    public async Task TryAcquireAsync_OccurrenceAlreadyCompleted_ReturnsNull()
    {
        await using (var first = await Lock.TryAcquireAsync("Job", Occurrence))
        {
            await first!.CompleteAsync();
        }

        Assert.Null(await Lock.TryAcquireAsync("Job", Occurrence));
    }

    [Fact]
    public async Task TryAcquireAsync_NextOccurrenceAfterCompletion_Succeeds()
    {
        await using (var first = await Lock.TryAcquireAsync("Job", Occurrence))
        {
            await first!.CompleteAsync();
        }

        await using var next = await Lock.TryAcquireAsync("Job", Occurrence.AddDays(1));

        Assert.NotNull(next);
    }

    [Fact]
    public async Task TryAcquireAsync_AfterRelease_Succeeds()
    {
        await using (await Lock.TryAcquireAsync("Job", null))
        {
        }

        await using var again = await Lock.TryAcquireAsync("Job", null);

        Assert.NotNull(again);
    }

    [Fact]
    public async Task TryAcquireAsync_OtherFunction_IsIndependent()
    {
        await using var job = await Lock.TryAcquireAsync("Job", Occurrence);

        await using var other = await Lock.TryAcquireAsync("Other", Occurrence);

        Assert.NotNull(other);
    }

    public void Dispose() => _services.Dispose();
}
