using NodaTime;
using OnCall.Core.Rotations;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class RotationCompactionTests
{
    private static readonly Instant Start = Utc("2026-11-12T12:00:00Z");

    private static readonly Member[] People =
        [.. Enumerable.Range(0, 6).Select(i => new Member($"P{i}", $"p{i}@example.com"))];

    [Fact]
    public void Revise_ManyTimesWithMovingClock_ShiftsFromCutoffUnchanged()
    {
        var (compacted, full, now) = ReviseRepeatedly(300);
        var cutoff = now - Core.Rotations.Rotation.HistoryRetention;
        var horizon = compacted.Settings.HorizonEnd(now);

        Assert.True(compacted.History.Count < full.History.Count);
        Assert.Equal(ShiftExpander.Expand(full, [], cutoff, horizon), ShiftExpander.Expand(compacted, [], cutoff, horizon));
    }

    [Fact]
    public void Revise_ManyTimesWithMovingClock_KeepsOneRevisionPerLayerBeforeCutoff()
    {
        var (compacted, _, now) = ReviseRepeatedly(300);
        var cutoff = now - Core.Rotations.Rotation.HistoryRetention;

        foreach (var layer in compacted.LayerNames)
        {
            Assert.Single(compacted.RevisionsOf(layer), r => r.EffectiveFrom <= cutoff);
        }
    }

    [Fact]
    public void Compact_NextRevisionEffectiveAtCutoff_DropsRevision()
    {
        var revised = Rotation(layers: Layer(length: "P1D")).ReviseKeepingHistory(Settings(layers: Layer(length: "P1D", members: [Sam, Ada])), Start);
        var switchAt = revised.RevisionsOf("primary")[1].EffectiveFrom;

        Assert.Single(revised.Compact(switchAt).History);
    }

    [Fact]
    public void Compact_NextRevisionEffectiveAfterCutoff_KeepsRevision()
    {
        var revised = Rotation(layers: Layer(length: "P1D")).ReviseKeepingHistory(Settings(layers: Layer(length: "P1D", members: [Sam, Ada])), Start);
        var switchAt = revised.RevisionsOf("primary")[1].EffectiveFrom;

        Assert.Equal(2, revised.Compact(switchAt - Duration.Epsilon).History.Count);
    }

    [Fact]
    public void Compact_LayerRemovedBeforeCutoff_ForgetsLayer()
    {
        var rotation = Rotation(layers: [Layer("primary"), Layer("secondary")]);
        var removed = rotation.Revise(Settings(layers: Layer("primary")), Start);

        var compacted = removed.Compact(Start + Duration.FromDays(30));

        Assert.Equal(["primary"], compacted.LayerNames);
    }

    /// <summary>
    /// Revises an hourly layer (members reshuffled) and a weekly one (changed now and then) every 7 hours,
    /// both with compaction and without.
    /// </summary>
    private static (Rotation Compacted, Rotation Full, Instant Now) ReviseRepeatedly(int times)
    {
        var random = new Random(42);
        var compacted = Rotation(layers: Layers(random, 0));
        var full = compacted;
        var now = Start;
        for (var i = 1; i <= times; i++)
        {
            now += Duration.FromHours(7);
            var next = Settings(layers: Layers(random, i));
            compacted = compacted.Revise(next, now);
            full = full.ReviseKeepingHistory(next, now);
        }

        return (compacted, full, now);
    }

    private static LayerDefinition[] Layers(Random random, int step) =>
    [
        Layer("hourly", length: "PT1H", handoff: "00:00", members: [.. People.OrderBy(_ => random.Next())]),
        Layer("weekly", length: "P7D", members: step / 20 % 2 == 0 ? [Ada, Lin] : [Lin, Sam]),
    ];
}
