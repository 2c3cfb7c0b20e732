using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

[Collection(StorageTests.Collection)]
public sealed class TableRotationRepositoryTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private IRotationRepository Repository => _services.GetRequiredService<IRotationRepository>();

    [Fact]
    public async Task FindAsync_AfterSave_RoundTripsSettingsAndHistory()
    {
        var rotation = Samples.Rotation().Revise(Samples.Settings(members: 3), Samples.Now);
        await Repository.SaveAsync(rotation, null);

        var found = await Repository.FindAsync("platform");

        Assert.NotNull(found);
        Assert.Equal(rotation.Settings.Layers, found.Rotation.Settings.Layers);
        Assert.Equal(rotation.History, found.Rotation.History);
        Assert.Equal((rotation.Settings.Supervisor, rotation.Settings.HandoffGrace), (found.Rotation.Settings.Supervisor, found.Rotation.Settings.HandoffGrace));
    }

    [Fact]
    public async Task FindAsync_Unknown_ReturnsNull() =>
        Assert.Null(await Repository.FindAsync("nobody"));

    [Fact]
    public async Task SaveAsync_StaleETag_ThrowsConcurrency()
    {
        await Repository.SaveAsync(Samples.Rotation(), null);
        var first = (await Repository.FindAsync("platform"))!;
        await Repository.SaveAsync(first.Rotation, first.ETag);

        await Assert.ThrowsAsync<ConcurrencyException>(() => Repository.SaveAsync(first.Rotation, first.ETag));
    }

    [Fact]
    public async Task SaveAsync_CreateTwice_ThrowsConcurrency()
    {
        await Repository.SaveAsync(Samples.Rotation(), null);

        await Assert.ThrowsAsync<ConcurrencyException>(() => Repository.SaveAsync(Samples.Rotation(), null));
    }

    [Fact]
    public async Task SaveAsync_HundredsOfMembers_SplitsAndRoundTrips()
    {
        var rotation = Samples.Rotation(members: RotationRules.MaxPeople - 1);
        await Repository.SaveAsync(rotation, null);

        var found = await Repository.FindAsync("platform");

        Assert.Equal(RotationRules.MaxPeople - 1, found!.Rotation.Settings.Layers[0].Members.Count);
    }

    [Fact]
    public async Task AddOverrideAsync_StaleETag_StoresNothing()
    {
        await Repository.SaveAsync(Samples.Rotation(), null);
        var read = (await Repository.FindAsync("platform"))!;
        await Repository.AddOverrideAsync("platform", read.ETag, Samples.Cover("a", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"));

        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            Repository.AddOverrideAsync("platform", read.ETag, Samples.Cover("b", "2026-11-20T12:00:00Z", "2026-11-22T00:00:00Z")));
        Assert.Equal(["a"], (await Repository.FindAsync("platform"))!.Overrides.Select(o => o.Id));
    }

    [Fact]
    public async Task RemoveOverrideAsync_Existing_RemovesIt()
    {
        await Repository.SaveAsync(Samples.Rotation(), null);
        await Repository.AddOverrideAsync("platform", (await Repository.FindAsync("platform"))!.ETag, Samples.Cover("a", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"));

        Assert.True(await Repository.RemoveOverrideAsync("platform", "a"));
        Assert.Empty((await Repository.FindAsync("platform"))!.Overrides);
    }

    [Fact]
    public async Task RemoveOverrideAsync_Unknown_ReturnsFalse() =>
        Assert.False(await Repository.RemoveOverrideAsync("platform", "nope"));

    [Fact]
    public async Task ListAsync_TwoRotations_ReturnsBothWithTheirOverrides()
    {
        await Repository.SaveAsync(Samples.Rotation("alpha"), null);
        await Repository.SaveAsync(Samples.Rotation("beta"), null);
        await Repository.AddOverrideAsync("beta", (await Repository.FindAsync("beta"))!.ETag, Samples.Cover("a", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"));

        var listed = await Repository.ListAsync();

        Assert.Equal([("alpha", 0), ("beta", 1)], listed.Select(a => (a.Rotation.Id, a.Overrides.Count)));
    }

    [Fact]
    public async Task DeleteAsync_RotationWithOverrides_LeavesNothing()
    {
        await Repository.SaveAsync(Samples.Rotation(), null);
        await Repository.AddOverrideAsync("platform", (await Repository.FindAsync("platform"))!.ETag, Samples.Cover("a", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"));

        Assert.True(await Repository.DeleteAsync("platform"));
        var table = await _services.GetRequiredService<TableProvider>().GetAsync(TableRotationRepository.TableName);
        Assert.Empty(await table.QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task DeleteAsync_Unknown_ReturnsFalse() =>
        Assert.False(await Repository.DeleteAsync("nope"));

    public void Dispose() => _services.Dispose();
}
