using NodaTime;

namespace OnCall.Core.Rotations;

/// <summary>Computes the shifts of a rotation in a time range, overrides applied.</summary>
public static class ShiftExpander
{
    /// <summary>
    /// Every shift overlapping [<paramref name="from"/>, <paramref name="to"/>), ordered by layer (as declared)
    /// then start. Shifts are returned whole, not clipped to the range.
    /// </summary>
    public static IReadOnlyList<Shift> Expand(Rotation rotation, IReadOnlyCollection<Override> overrides, Instant from, Instant to)
    {
        var result = new List<Shift>();
        foreach (var layer in rotation.LayerNames)
        {
            var layerOverrides = overrides.Where(o => o.Layer == layer && o.Start < to && from < o.End).OrderBy(o => o.Start).ToList();

            // Overrides may reach past the range; widen so the shifts they cut are computed whole.
            var widenedFrom = layerOverrides.Count > 0 ? Instant.Min(from, layerOverrides[0].Start) : from;
            var widenedTo = layerOverrides.Count > 0 ? Instant.Max(to, layerOverrides.Max(o => o.End)) : to;
            var computed = ExpandLayer(rotation.Id, rotation.RevisionsOf(layer), widenedFrom, widenedTo);
            foreach (var shift in ApplyOverrides(rotation.Id, layer, computed, layerOverrides))
            {
                if (shift.Start < to && from < shift.End)
                {
                    result.Add(shift);
                }
            }
        }

        return result;
    }

    /// <summary>Who is on call on each layer at <paramref name="at"/>; layers with nobody are left out.</summary>
    public static IReadOnlyList<Shift> OnCallAt(Rotation rotation, IReadOnlyCollection<Override> overrides, Instant at) =>
        [.. Expand(rotation, overrides, at, at + Duration.Epsilon).Where(s => s.Contains(at))];

    private static List<Shift> ExpandLayer(string rotationId, IReadOnlyList<LayerRevision> revisions, Instant from, Instant to)
    {
        var shifts = new List<Shift>();
        for (var i = 0; i < revisions.Count; i++)
        {
            var revision = revisions[i];
            var revisionEnd = i + 1 < revisions.Count ? revisions[i + 1].EffectiveFrom : Instant.MaxValue;
            if (revision.Definition is null || revisionEnd <= from || to <= revision.EffectiveFrom)
            {
                continue;
            }

            var schedule = new LayerSchedule(revision.Definition, revision.TimeZone);
            var windowStart = Instant.Max(from, revision.EffectiveFrom);
            var windowEnd = Instant.Min(to, revisionEnd);
            var n = Math.Max(0, schedule.IndexAtOrBefore(windowStart));
            var start = schedule.Handoff(n);
            while (start < windowEnd)
            {
                var end = schedule.Handoff(n + 1);

                // A revision takes over mid-shift only at a handoff, except when a layer was replaced before it
                // started; clip to the revision's own span either way.
                var clippedStart = Instant.Max(start, revision.EffectiveFrom);
                var clippedEnd = Instant.Min(end, revisionEnd);
                if (clippedStart < clippedEnd && windowStart < clippedEnd)
                {
                    var key = new ShiftKey(rotationId, revision.Layer, clippedStart);
                    shifts.Add(new Shift(key, revision.Layer, schedule.MemberOf(n), clippedStart, clippedEnd, null));
                }

                n++;
                start = end;
            }
        }

        return shifts;
    }

    private static List<Shift> ApplyOverrides(string rotationId, string layer, List<Shift> computed, List<Override> overrides)
    {
        if (overrides.Count == 0)
        {
            return computed;
        }

        var result = new List<Shift>(computed.Count + overrides.Count * 2);
        foreach (var shift in computed)
        {
            var pieceStart = shift.Start;
            foreach (var cover in overrides)
            {
                if (cover.End <= pieceStart || shift.End <= cover.Start)
                {
                    continue;
                }

                if (pieceStart < cover.Start)
                {
                    result.Add(Piece(shift, pieceStart, cover.Start));
                }

                pieceStart = Instant.Max(pieceStart, cover.End);
            }

            if (pieceStart < shift.End)
            {
                result.Add(Piece(shift, pieceStart, shift.End));
            }
        }

        result.AddRange(overrides.Select(o =>
            new Shift(new ShiftKey(rotationId, layer, o.Start), layer, o.Member, o.Start, o.End, o.Id)));
        result.Sort((a, b) => a.Start.CompareTo(b.Start));
        return result;
    }

    private static Shift Piece(Shift shift, Instant start, Instant end) =>
        shift with { Key = shift.Key with { Start = start }, Start = start, End = end };
}
