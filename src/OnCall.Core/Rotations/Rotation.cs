using NodaTime;
using OnCall.Core.Feeds;

namespace OnCall.Core.Rotations;

/// <summary>What an administrator declares about a rotation (the body of <c>PUT /api/rotations/{id}</c>).</summary>
public sealed record RotationSettings(
    string Id,
    string Name,
    DateTimeZone TimeZone,
    Supervisor Supervisor,
    Duration HandoffGrace,
    string? CalendarId,
    Period Horizon,
    IReadOnlyList<LayerDefinition> Layers)
{
    public static readonly Duration DefaultHandoffGrace = Duration.FromMinutes(30);
    public static readonly Period DefaultHorizon = Period.FromDays(8 * 7);

    public LayerDefinition? FindLayer(string name) => Layers.FirstOrDefault(l => l.Name == name);

    /// <summary>The end of the horizon seen from <paramref name="from"/>: local calendar arithmetic in the rotation's zone.</summary>
    public Instant HorizonEnd(Instant from) =>
        from.InZone(TimeZone).LocalDateTime.Plus(Horizon).InZoneLeniently(TimeZone).ToInstant();
}

/// <summary>
/// A layer's schedule from <see cref="EffectiveFrom"/> until the next revision of the same layer.
/// A null <see cref="Definition"/> means the layer was removed at that instant.
/// </summary>
public sealed record LayerRevision(string Layer, Instant EffectiveFrom, DateTimeZone TimeZone, LayerDefinition? Definition);

/// <summary>
/// A rotation as stored: the current settings plus each layer's revision history, so a change to
/// members or schedule takes effect from the next handoff and past shifts never move. History older than
/// <see cref="HistoryRetention"/> is compacted away (see <see cref="Compact"/>).
/// </summary>
public sealed record Rotation(
    RotationSettings Settings,
    IReadOnlyList<LayerRevision> History,
    string FeedTokenHash,
    Instant CreatedAt,
    Instant UpdatedAt)
{
    /// <summary>
    /// How far back revisions are kept: the feed's lookback plus a day, the same margin the feed ledger's
    /// pruning uses, so every shift a feed can still show is computed from the revisions that made it.
    /// </summary>
    public static readonly Duration HistoryRetention = FeedService.Lookback + Duration.FromDays(1);

    public string Id => Settings.Id;

    public static Rotation Create(RotationSettings settings, string feedTokenHash, Instant now) =>
        new(settings,
            [.. settings.Layers.Select(l => new LayerRevision(l.Name, Instant.MinValue, settings.TimeZone, l))],
            feedTokenHash,
            now,
            now);

    /// <summary>
    /// Replaces the settings. A layer whose schedule changed (members, length, handoff time, anchor, offset or
    /// the rotation's zone) switches at its next handoff after <paramref name="now"/>; a layer that has not
    /// started yet switches at once. Revisions that no longer affect any shift after
    /// <paramref name="now"/> − <see cref="HistoryRetention"/> are dropped, so the history stays bounded.
    /// </summary>
    public Rotation Revise(RotationSettings next, Instant now) =>
        ReviseKeepingHistory(next, now).Compact(now - HistoryRetention);

    /// <summary>
    /// Drops, per layer, every revision that ends at or before <paramref name="cutoff"/> (the next revision of
    /// the same layer is effective by then), and a removed layer whose removal is that old. Shifts that end
    /// after the cutoff are unchanged. Shifts before it are not: a <c>/shifts</c> query reaching back past the
    /// cutoff then shows the oldest kept revision's shifts only from its <see cref="LayerRevision.EffectiveFrom"/>.
    /// </summary>
    public Rotation Compact(Instant cutoff)
    {
        var dropped = new HashSet<LayerRevision>(ReferenceEqualityComparer.Instance);
        foreach (var revisions in History.GroupBy(r => r.Layer).Select(g => g.OrderBy(r => r.EffectiveFrom).ToList()))
        {
            for (var i = 0; i + 1 < revisions.Count && revisions[i + 1].EffectiveFrom <= cutoff; i++)
            {
                dropped.Add(revisions[i]);
            }

            var last = revisions[^1];
            if (last.Definition is null && last.EffectiveFrom <= cutoff)
            {
                dropped.Add(last);
            }
        }

        return dropped.Count == 0 ? this : this with { History = [.. History.Where(r => !dropped.Contains(r))] };
    }

    /// <summary><see cref="Revise"/> without compaction; tests compare the two.</summary>
    internal Rotation ReviseKeepingHistory(RotationSettings next, Instant now)
    {
        var history = new List<LayerRevision>(History);
        var names = Settings.Layers.Select(l => l.Name).Union(next.Layers.Select(l => l.Name));
        foreach (var name in names)
        {
            var wanted = next.FindLayer(name);
            var latest = LatestRevision(name);
            if (latest is not null && Equals(latest.Definition, wanted) && Equals(latest.TimeZone, next.TimeZone))
            {
                continue;
            }

            // A change not yet in effect is superseded by this one.
            history.RemoveAll(r => r.Layer == name && r.EffectiveFrom > now);
            var active = history.Where(r => r.Layer == name).MaxBy(r => r.EffectiveFrom);
            if (active is not null && Equals(active.Definition, wanted) && Equals(active.TimeZone, next.TimeZone))
            {
                continue;
            }

            var activeSchedule = active?.Definition is null ? null : new LayerSchedule(active.Definition, active.TimeZone);
            if (activeSchedule is null || !activeSchedule.HasStartedBy(now))
            {
                // Nothing has happened under the active revision yet: replace it outright.
                var from = active?.EffectiveFrom ?? Instant.MinValue;
                history.RemoveAll(r => r.Layer == name && r.EffectiveFrom >= from);
                history.Add(new LayerRevision(name, from, next.TimeZone, wanted));
            }
            else
            {
                history.Add(new LayerRevision(name, activeSchedule.NextHandoffAfter(now), next.TimeZone, wanted));
            }
        }

        return this with { Settings = next, History = history, UpdatedAt = now };
    }

    /// <summary>The revisions of one layer in time order.</summary>
    public IReadOnlyList<LayerRevision> RevisionsOf(string layer) =>
        [.. History.Where(r => r.Layer == layer).OrderBy(r => r.EffectiveFrom)];

    /// <summary>Every layer name that ever existed, in the order of the current settings first.</summary>
    public IEnumerable<string> LayerNames =>
        Settings.Layers.Select(l => l.Name).Union(History.Select(r => r.Layer));

    private LayerRevision? LatestRevision(string layer) =>
        History.Where(r => r.Layer == layer).MaxBy(r => r.EffectiveFrom);
}
