using System.Net;
using OnCall.Functions.Tests.Handoffs;
using OnCall.Functions.Tests.Incidents;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Telemetry;

[Collection(StorageTests.Collection)]
public sealed class MetricTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Webhooks_OpenRepeatAndRefused_CountedBySourceSeverityAndReason()
    {
        var capture = new TelemetryCapture();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(listen: false), services: capture.Register);
        await app.CreateAsync();

        await app.OpenAsync();
        await app.ReportOkAsync(IncidentKit.Generic());
        using var refused = await app.Client.PostAsync("/api/incidents", Api.Json(IncidentKit.Generic()));
        capture.FlushMetrics(app);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(
            (1, 1, 1),
            (capture.Sum("oncall.incidents.opened", ("source", "generic"), ("severity", "major")),
             capture.Sum("oncall.webhooks.deduplicated", ("source", "generic")),
             capture.Sum("oncall.webhooks.refused", ("source", "generic"), ("reason", "unauthorized"))));
    }

    [Fact]
    public async Task Handoffs_MissedThenAcknowledgedLate_CountedWithTheSupervisorNotices()
    {
        var capture = new TelemetryCapture();
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack), services: capture.Register);
        await app.MissAsync(clock);

        (await app.AcknowledgeAsync()).Dispose();
        capture.FlushMetrics(app);

        Assert.Equal(
            (1, 1, 0),
            (capture.Sum("oncall.handoffs", ("outcome", "missed")),
             capture.Sum("oncall.handoffs", ("outcome", "acknowledged_late")),
             capture.Sum("oncall.handoffs", ("outcome", "acknowledged"))));
        Assert.Equal(
            (1, 1),
            (capture.Sum("oncall.notices.sent", ("kind", "handoff_missed"), ("channel", "slack"), ("result", "sent")),
             capture.Sum("oncall.notices.sent", ("kind", "handoff_resolved"), ("channel", "slack"), ("result", "sent"))));
    }

    [Fact]
    public async Task FlagMissed_PendingPastDue_ReportsTheOldestPendingAge()
    {
        var capture = new TelemetryCapture();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(), services: capture.Register);
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:10:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await app.RunAsync("FlagMissedHandoffs");
        capture.FlushMetrics(app);

        var gauge = capture.Metrics.Single(m => m.Name == "oncall.handoffs.oldest_pending.age");
        Assert.Equal(600, gauge.MetricPoints.Single().GetGaugeLastValueLong());
    }
}
