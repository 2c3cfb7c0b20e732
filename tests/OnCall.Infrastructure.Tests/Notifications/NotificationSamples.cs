using OnCall.Core.Notifications;

namespace OnCall.Infrastructure.Tests.Notifications;

internal static class NotificationSamples
{
    public static Notification Handoff() => new(
        "Handoff: Platform primary",
        ["Ada hands over to Lin at 10:00 America/New_York.", "Acknowledge within 30 minutes."])
    {
        Facts = [new NotificationFact("Outgoing", "Ada"), new NotificationFact("Incoming", "Lin")],
        Link = new NotificationLink("Acknowledge", new Uri("https://oncall.example.com/handoffs/h-1")),
    };
}
