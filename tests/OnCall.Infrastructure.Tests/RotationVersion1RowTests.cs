using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

/// <summary>Rows written before document version 2: uncompressed JSON in string properties, members written out.</summary>
[Collection(StorageTests.Collection)]
public sealed class RotationVersion1RowTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly Member Ada = new("Ada", "ada@example.com");
    private static readonly Member Lin = new("Lin", "lin@example.com");
    private static readonly Member Sam = new("Sam", "sam@example.com");
    private static readonly Instant Switch = Instant.FromUtc(2026, 11, 16, 15, 0);

    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private IRotationRepository Repository => _services.GetRequiredService<IRotationRepository>();

    [Fact]
    public async Task FindAsync_Version1Row_Loads()
    {
        await WriteVersion1RowAsync();

        var found = await Repository.FindAsync("platform");

        LargeRotations.AssertSame(Expected(), found!.Rotation);
    }

    [Fact]
    public async Task SaveAsync_AfterVersion1Row_WritesVersion2()
    {
        await WriteVersion1RowAsync();
        var found = (await Repository.FindAsync("platform"))!;

        await Repository.SaveAsync(found.Rotation, found.ETag);

        var row = await LargeRotations.StoredRowAsync(_services, "platform");
        Assert.IsType<byte[]>(row["Document0"]);
        LargeRotations.AssertSame(Expected(), (await Repository.FindAsync("platform"))!.Rotation);
    }

    public void Dispose() => _services.Dispose();

    private static Rotation Expected()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        LayerDefinition Primary(params Member[] members) =>
            new("primary", members, Period.FromDays(7), new LocalTime(10, 0), new LocalDate(2026, 11, 2), Period.Zero);
        var settings = new RotationSettings(
            "platform", "Platform", zone, new Supervisor("Dana", "dana@example.com", "@dana"), Duration.FromMinutes(45), null, Period.FromDays(56), [Primary(Sam, Ada)]);
        return new Rotation(
            settings,
            [new LayerRevision("primary", Instant.MinValue, zone, Primary(Ada, Lin)), new LayerRevision("primary", Switch, zone, Primary(Sam, Ada))],
            "feed-token-hash",
            Samples.Now,
            Samples.Now + Duration.FromHours(1));
    }

    /// <summary>The row exactly as version 1 wrote it, its JSON split over two string properties.</summary>
    private async Task WriteVersion1RowAsync()
    {
        static string Layer(string members) =>
            $$"""{"name":"primary","shiftLength":"P7D","handoffTime":"10:00","anchor":"2026-11-02","offset":"P0D","members":[{{members}}]}""";
        const string AdaJson = """{"name":"Ada","email":"ada@example.com"}""";
        const string LinJson = """{"name":"Lin","email":"lin@example.com"}""";
        const string SamJson = """{"name":"Sam","email":"sam@example.com"}""";
        var minValue = Instant.MinValue.ToUnixTimeTicks();
        var json = $$"""
            {"version":1,"name":"Platform","timeZone":"America/New_York",
            "supervisor":{"name":"Dana","email":"dana@example.com","handle":"@dana"},
            "handoffGrace":"0:00:45:00","calendarId":null,"horizon":"P56D",
            "layers":[{{Layer(SamJson + "," + AdaJson)}}],
            "history":[
            {"layer":"primary","effectiveFromTicks":{{minValue}},"timeZone":"America/New_York","definition":{{Layer(AdaJson + "," + LinJson)}}},
            {"layer":"primary","effectiveFromTicks":{{Switch.ToUnixTimeTicks()}},"timeZone":"America/New_York","definition":{{Layer(SamJson + "," + AdaJson)}}}]}
            """;
        var table = await _services.GetRequiredService<TableProvider>().GetAsync(TableRotationRepository.TableName);
        await table.AddEntityAsync(new TableEntity("platform", "rotation")
        {
            ["FeedTokenHash"] = "feed-token-hash",
            ["CreatedAt"] = Samples.Now.ToDateTimeOffset(),
            ["UpdatedAt"] = (Samples.Now + Duration.FromHours(1)).ToDateTimeOffset(),
            ["DocumentChunks"] = 2,
            ["Document0"] = json[..(json.Length / 2)],
            ["Document1"] = json[(json.Length / 2)..],
        });
    }
}
