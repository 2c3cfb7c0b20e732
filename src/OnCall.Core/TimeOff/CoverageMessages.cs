using OnCall.Core.Handoffs;
using OnCall.Core.Notifications;
using OnCall.Core.Rotations;

namespace OnCall.Core.TimeOff;

/// <summary>What the supervisor and the engineer concerned are told about a coverage problem, in the rotation's local time.</summary>
public static class CoverageMessages
{
    public static Notification For(CoverageNotice notice, Rotation rotation, Uri? offerLink)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(rotation);
        var p = notice.Problem;
        var conflict = p.Kind == CoverageProblemKind.Conflict;
        var what = conflict ? "conflict" : "gap";
        var suffix = notice.Told switch
        {
            CoverageNoticeKind.Changed => " changed",
            CoverageNoticeKind.Solved => " solved",
            _ => "",
        };
        var engineer = conflict ? Engineer(rotation, p.Member!) : null;
        var span = $"from {HandoffMessages.Local(p.Start, rotation)} to {HandoffMessages.Local(p.End, rotation)}";
        var lines = new List<string>
        {
            (conflict, notice.Told) switch
            {
                (true, CoverageNoticeKind.Solved) =>
                    $"{engineer} no longer has time off during a shift on {p.Layer} {span}, or someone else covers it. Nothing to do.",
                (true, _) => $"{engineer} is on call on {p.Layer} {span} but has time off then.",
                (false, CoverageNoticeKind.Solved) => $"{p.Layer} is covered again {span}. Nothing to do.",
                (false, _) => $"Nobody is on call on {p.Layer} {span}.",
            },
        };
        if (notice.Told == CoverageNoticeKind.Changed && notice.WasStart is { } wasStart && notice.WasEnd is { } wasEnd)
        {
            lines.Add($"It was from {HandoffMessages.Local(wasStart, rotation)} to {HandoffMessages.Local(wasEnd, rotation)}.");
        }

        if (notice.Told != CoverageNoticeKind.Solved)
        {
            lines.Add(conflict
                ? $"{SupervisorCall(rotation)}: please make sure someone covers it; {engineer} can offer the shift to a teammate."
                : $"{SupervisorCall(rotation)}: please add an override or change the rotation so that someone covers it.");
            if (conflict && offerLink is null)
            {
                lines.Add(
                    $"No offer link: OnCall:Handoffs:LinkKey is not set; ask for a swap with POST /api/rotations/{rotation.Id}/swaps, "
                    + $"or cover it with POST /api/rotations/{rotation.Id}/overrides.");
            }
        }

        return new Notification($"Coverage {what}{suffix}: {rotation.Settings.Name} / {p.Layer}", lines)
        {
            Facts =
            [
                new("Rotation", rotation.Settings.Name),
                new("Layer", p.Layer),
                .. conflict ? new[] { new NotificationFact("Engineer", $"{engineer} ({p.Member})") } : [],
                new("Supervisor", $"{rotation.Settings.Supervisor.Name} ({rotation.Settings.Supervisor.Email})"),
                new("From", HandoffMessages.Local(p.Start, rotation)),
                new("To", HandoffMessages.Local(p.End, rotation)),
            ],
            Link = conflict && notice.Told != CoverageNoticeKind.Solved && offerLink is not null
                ? new NotificationLink("Offer this shift", offerLink)
                : null,
        };
    }

    /// <summary>The engineer's name as the rotation spells it, else their email.</summary>
    private static string Engineer(Rotation rotation, string email) =>
        rotation.Settings.Layers
            .SelectMany(l => l.Members)
            .FirstOrDefault(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase))?.Name
            ?? email;

    private static string SupervisorCall(Rotation rotation) => rotation.Settings.Supervisor.Handle ?? rotation.Settings.Supervisor.Name;
}
