using OnCall.Core.Errors;
using OnCall.Core.Jobs;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Time;

namespace OnCall.Core.Incidents;

/// <summary>
/// Reminds the commander, once, when our incident has been resolved for <see cref="IncidentSettings.StatuspageReminderAfter"/>
/// but its Statuspage incident still shows it open (the resolve failed, or someone reopened it there).
/// </summary>
public sealed class RemindStatuspageOpenJob(
    IIncidentRepository repository,
    INotifier notifier,
    IncidentSettings settings,
    TimeProvider timeProvider) : ITimerJob
{
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetCurrentInstant();
        foreach (var incident in await repository.ListAsync(IncidentStatus.Resolved, cancellationToken))
        {
            if (incident.Statuspage.ExternalId is null
                || incident.Statuspage.Applied == IncidentRules.StatuspageResolved
                || incident.StatuspageReminderAt is not null
                || incident.ResolvedAt is not { } resolved || now < resolved + settings.StatuspageReminderAfter)
            {
                continue;
            }

            // Claim first (ETag), so two instances never both remind.
            var stored = await repository.FindAsync(incident.Id, cancellationToken);
            if (stored is null || stored.Incident.StatuspageReminderAt is not null)
            {
                continue;
            }

            var reminder = new TimelineEntry(
                now,
                TimelineKind.Reminder,
                $"Reminded {stored.Incident.Commander?.Name ?? "the on-call channel"}: Statuspage still shows the incident open.",
                TimelineEntry.App);
            var claimed = await Optimistic.TryAsync(
                () => repository.SaveAsync(stored.Incident with { StatuspageReminderAt = now }, stored.ETag, reminder, cancellationToken),
                attempts: 1);
            if (!claimed)
            {
                // Another instance claimed it: that one reminds.
                continue;
            }

            var who = stored.Incident.Commander is { } commander ? $"{commander.Name} ({commander.Email})" : "Commander";
            await notifier.NotifyAsync(
                new Notification(
                    $"Statuspage still shows \"{incident.Title}\" open",
                    [$"{who}: incident {incident.Id} was resolved at {WireTime(resolved)}, but its Statuspage incident "
                     + $"{incident.Statuspage.ExternalId} is not resolved. Resolve it on Statuspage."])
                {
                    Facts = [
                        new NotificationFact("Severity", IncidentRules.Wire(incident.Severity)),
                        new NotificationFact("Rotation", incident.RotationId ?? "none")],
                    Link = Uri.TryCreate(incident.Statuspage.Url, UriKind.Absolute, out var url)
                        ? new NotificationLink("Statuspage", url)
                        : null,
                },
                cancellationToken);
        }
    }

    private static string WireTime(NodaTime.Instant instant) => InstantText.Format(instant);
}
