using System.Diagnostics;
using OnCall.Functions.Tests.Incidents;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Telemetry;

/// <summary>One incident followed from its webhook through the queue to Statuspage and GitHub, as one trace.</summary>
[Collection(StorageTests.Collection)]
public sealed class TraceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ResolveWebhook_ThroughPostMortem_IsOneTraceInParentChildOrder()
    {
        var capture = new TelemetryCapture();
        await using var statuspage = new FakeStatuspage();
        await statuspage.StartAsync();
        await using var github = new FakeGitHub();
        await github.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage, github), services: capture.Register);
        await app.CreateAsync();
        var id = await app.OpenAsync();
        await app.IncidentWhenAsync(id, i => i.State("statuspage") == "created");

        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));
        await app.IncidentWhenAsync(id, i => i.State("postMortem") == "created");

        var report = capture.Spans.Where(s => s.DisplayName == "ReportIncident").MaxBy(s => s.StartTimeUtc)!;
        IReadOnlyList<Activity> trace = [];
        var complete = await Eventually.TrueAsync(() =>
        {
            trace = [.. capture.Spans.Where(s => s.TraceId == report.TraceId)];
            return Task.FromResult(trace.Any(s => s.DisplayName == "ProcessIncidentEvent" && Under(s, report, trace)) && HasCallTo(trace, github.BaseAddress) && HasCallTo(trace, statuspage.BaseAddress));
        });

        Assert.True(complete, string.Join("\n", trace.Select(s => $"{s.DisplayName} {s.Kind} {s.SpanId} <- {s.ParentSpanId}")));
        Assert.Equal(ActivityKind.Server, trace.Single(s => s.SpanId == report.ParentSpanId).Kind);
        Assert.Equal(id, report.GetTagItem("oncall.incident.id"));
        var processing = trace.Where(s => s.DisplayName == "ProcessIncidentEvent").ToList();
        var calls = trace.Where(s => s.Kind == ActivityKind.Client && (Host(s) == github.BaseAddress.Authority || Host(s) == statuspage.BaseAddress.Authority)).ToList();
        Assert.All(calls, call => Assert.Contains(processing, p => Under(call, p, trace)));
        Assert.Contains(trace, s => s.DisplayName.Contains("Table", StringComparison.Ordinal) || s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal));
    }

    private static bool HasCallTo(IReadOnlyList<Activity> trace, Uri server) =>
        trace.Any(s => s.Kind == ActivityKind.Client && Host(s) == server.Authority);

    private static string? Host(Activity span) =>
        span.GetTagItem("server.address") is string host ? $"{host}:{span.GetTagItem("server.port")}" : null;

    /// <summary>Whether <paramref name="ancestor"/> is on <paramref name="span"/>'s chain of parents within the trace.</summary>
    private static bool Under(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }
}
