using System.Globalization;
using OnCall.Core.Rotations;

namespace OnCall.Core.Feeds;

/// <summary>The words both publishers (the ICS feed and Google Calendar) show for a shift, so they never read differently.</summary>
public static class ShiftText
{
    public static string Summary(RotationSettings rotation, FeedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentNullException.ThrowIfNull(entry);
        var role = entry.IsOverride ? $"{entry.Layer}, override" : entry.Layer;
        return $"On call: {entry.Member.Name} ({rotation.Name} {role})";
    }

    /// <summary>Layer, who is on call, the supervisor and when the shift hands off, in the rotation's zone.</summary>
    public static string Description(RotationSettings rotation, FeedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentNullException.ThrowIfNull(entry);
        var handoff = entry.End.InZone(rotation.TimeZone);
        return string.Join(
            "\n",
            $"Layer: {entry.Layer}{(entry.IsOverride ? " (override)" : "")}",
            $"On call: {entry.Member.Name} <{entry.Member.Email}>",
            $"Supervisor: {rotation.Supervisor.Name} <{rotation.Supervisor.Email}>",
            string.Create(
                CultureInfo.InvariantCulture,
                $"Hands off: {handoff.Date:yyyy-MM-dd} {LayerDefinition.HandoffTimePattern.Format(handoff.TimeOfDay)} "
                + $"{rotation.TimeZone.Id}"));
    }
}
