using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OnCall.Core.Incidents;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

/// <summary>Which incident a key had last: the open one while one is, else the one closed last.</summary>
[Collection(StorageTests.Collection)]
public sealed class TableIncidentRepositoryTests(AzuriteFixture azurite) : IDisposable
{
    private const string Source = "generic";
    private const string Key = "disk-full";
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 30, 9, 0);

    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private TableIncidentRepository Repository => new(_services.GetRequiredService<TableProvider>(), TimeProvider.System);

    [Fact]
    public async Task FindLastIdAsync_KeyNeverSeen_ReturnsNull()
    {
        Assert.Null(await Repository.FindLastIdAsync(Source, Key));
    }

    [Fact]
    public async Task FindLastIdAsync_IncidentOpen_ReturnsIt()
    {
        var open = await OpenAsync(Start);

        Assert.Equal(open.Id, await Repository.FindLastIdAsync(Source, Key));
    }

    [Fact]
    public async Task FindLastIdAsync_IncidentClosed_ReturnsIt()
    {
        var closed = await CloseAsync(await OpenAsync(Start));

        Assert.Equal(closed.Id, await Repository.FindLastIdAsync(Source, Key));
    }

    [Fact]
    public async Task FindLastIdAsync_NewIncidentOpenAfterOneClosed_ReturnsTheNewOne()
    {
        await CloseAsync(await OpenAsync(Start));
        var second = await OpenAsync(Start + Duration.FromHours(1));

        Assert.Equal(second.Id, await Repository.FindLastIdAsync(Source, Key));
    }

    [Fact]
    public async Task FindLastIdAsync_OlderClosedIncidentSavedAgain_StillReturnsTheNewerOne()
    {
        var first = await CloseAsync(await OpenAsync(Start));
        var second = await CloseAsync(await OpenAsync(Start + Duration.FromHours(1)));

        // A closed incident is saved again when a step behind it (Statuspage, the post-mortem) records its result.
        var stored = (await Repository.FindAsync(first.Id))!;
        await Repository.SaveAsync(stored.Incident with { StatusMessage = "post-mortem filed" }, stored.ETag);

        Assert.Equal(second.Id, await Repository.FindLastIdAsync(Source, Key));
    }

    public void Dispose() => _services.Dispose();

    private async Task<Incident> OpenAsync(Instant at)
    {
        var incident = new Incident(
            IncidentIds.New(Source, Key, at), Source, Key, "Disk full", Severity.Major, IncidentStatus.Open,
            null, "api", null, ["api"], null, at);
        Assert.True(await Repository.OpenAsync(incident, new TimelineEntry(at, TimelineKind.Opened, "Opened", Source)));
        return incident;
    }

    private async Task<Incident> CloseAsync(Incident incident)
    {
        var stored = (await Repository.FindAsync(incident.Id))!;
        var resolved = stored.Incident with { Status = IncidentStatus.Resolved, ResolvedAt = incident.OpenedAt + Duration.FromMinutes(5) };
        await Repository.SaveAsync(resolved, stored.ETag);
        return resolved;
    }
}
