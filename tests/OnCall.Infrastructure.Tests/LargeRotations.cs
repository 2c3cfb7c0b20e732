using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Storage;

namespace OnCall.Infrastructure.Tests;

/// <summary>
/// Rotations at the input rules' limits (10 layers × 200 members, 200 distinct people, names of 200 and emails
/// of 254 characters), built from domain types. Text is random Unicode, mostly outside the BMP, so compression
/// finds nothing to share and each character costs as much as it can.
/// </summary>
internal static class LargeRotations
{
    public const int Layers = 10;
    public const int Members = 200;
    public const int People = 200;
    public const int NameLength = 200;
    public const int EmailLength = 254;

    /// <summary>Table Storage's formula for an entity's size, which must stay within 1 MiB.</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    public static Member[] RandomPeople(Random random, int count = People) =>
        [.. Enumerable.Range(0, count).Select(_ => new Member(Text(random, NameLength), Email(random)))];

    /// <summary>Layer 0 hands off hourly, the others daily or weekly; every layer has all of <paramref name="people"/> in random order.</summary>
    public static RotationSettings Settings(Random random, IReadOnlyList<Member> people, IReadOnlyList<string> layerNames) => new(
        "platform",
        Text(random, NameLength),
        DateTimeZoneProviders.Tzdb["America/New_York"],
        new Supervisor(Text(random, NameLength), Email(random), Text(random, NameLength)),
        Duration.FromMinutes(30),
        Text(random, NameLength),
        Period.FromDays(366),
        [.. layerNames.Select((name, i) => new LayerDefinition(
            name,
            Shuffled(random, people),
            i == 0 ? Period.FromHours(1) : i % 2 == 0 ? Period.FromDays(1) : Period.FromDays(7),
            new LocalTime(10, 0),
            new LocalDate(2026, 11, 2),
            Period.FromHours(i)))]);

    public static string[] LayerNames(Random random) => [.. Enumerable.Range(0, Layers).Select(_ => Text(random, NameLength))];

    /// <summary>The same settings with every layer's members shuffled.</summary>
    public static RotationSettings Reshuffled(Random random, RotationSettings settings) =>
        settings with { Layers = [.. settings.Layers.Select(l => l with { Members = Shuffled(random, l.Members) })] };

    public static void AssertSame(Rotation expected, Rotation actual)
    {
        IReadOnlyList<LayerDefinition> none = [];
        Assert.Equal(expected.Settings with { Layers = none }, actual.Settings with { Layers = none });
        Assert.Equal(expected.Settings.Layers, actual.Settings.Layers);
        Assert.Equal(expected.History, actual.History);
        Assert.Equal((expected.FeedTokenHash, expected.CreatedAt, expected.UpdatedAt), (actual.FeedTokenHash, actual.CreatedAt, actual.UpdatedAt));
    }

    /// <summary>The rotation's row as stored, read past the repository.</summary>
    public static async Task<TableEntity> StoredRowAsync(IServiceProvider services, string rotationId)
    {
        var table = await services.GetRequiredService<TableProvider>().GetAsync(TableRotationRepository.TableName);
        return (await table.GetEntityAsync<TableEntity>(rotationId, "rotation")).Value;
    }

    /// <summary>
    /// Size by Table Storage's published formula: 4 + 2 × (PartitionKey + RowKey length) + per property
    /// 8 + 2 × name length + the value (binary 4 + bytes, string 4 + 2 × characters, int 4, long/date/double 8).
    /// </summary>
    public static long EntitySize(TableEntity entity) =>
        4 + 2 * (entity.PartitionKey.Length + entity.RowKey.Length) + entity
            .Where(p => p.Key is not ("PartitionKey" or "RowKey" or "odata.etag"))
            .Sum(p => 8 + 2 * p.Key.Length + p.Value switch
            {
                byte[] bytes => 4 + bytes.Length,
                string text => 4 + 2 * text.Length,
                int => 4,
                _ => 8,
            });

    private static Member[] Shuffled(Random random, IEnumerable<Member> members)
    {
        var shuffled = members.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    private static string Email(Random random) => Text(random, (EmailLength - 1) / 2) + "@" + Text(random, EmailLength - 1 - (EmailLength - 1) / 2);

    /// <summary><paramref name="length"/> random Unicode scalar values: no ASCII, control characters or whitespace.</summary>
    private static string Text(Random random, int length)
    {
        var text = new StringBuilder(length * 2);
        for (var count = 0; count < length;)
        {
            var value = random.Next(0xA0, 0x110000);
            if (Rune.IsValid(value) && !Rune.IsControl(new Rune(value)) && !Rune.IsWhiteSpace(new Rune(value)))
            {
                text.Append(new Rune(value).ToString());
                count++;
            }
        }

        return text.ToString();
    }
}
