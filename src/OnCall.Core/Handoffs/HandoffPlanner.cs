using NodaTime;
using OnCall.Core.Rotations;

namespace OnCall.Core.Handoffs;

/// <summary>Finds the instants where the person on call on a layer changes.</summary>
public static class HandoffPlanner
{
    /// <summary>
    /// Every boundary in [<paramref name="from"/>, <paramref name="to"/>]: a shift ends, the next starts at the same
    /// instant, and its member is someone else (overrides included). A shift followed by the same person is no handoff.
    /// </summary>
    public static IReadOnlyList<Handoff> Boundaries(
        Rotation rotation,
        IReadOnlyCollection<Override> overrides,
        Instant from,
        Instant to,
        Instant now)
    {
        var result = new List<Handoff>();
        var shifts = ShiftExpander.Expand(rotation, overrides, from, to + Duration.Epsilon);
        foreach (var layer in shifts.GroupBy(s => s.Layer))
        {
            var ordered = layer.OrderBy(s => s.Start).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var (before, after) = (ordered[i - 1], ordered[i]);
                if (before.End != after.Start || after.Start < from || after.Start > to || SamePerson(before.Member, after.Member))
                {
                    continue;
                }

                result.Add(new Handoff(
                    Handoff.IdFor(rotation.Id, layer.Key, after.Start),
                    rotation.Id,
                    layer.Key,
                    before.Member,
                    after.Member,
                    after.Start,
                    rotation.Settings.HandoffGrace,
                    HandoffStatus.Pending,
                    now));
            }
        }

        return result;
    }

    public static bool SamePerson(Member a, Member b) => string.Equals(a.Email, b.Email, StringComparison.OrdinalIgnoreCase);
}
