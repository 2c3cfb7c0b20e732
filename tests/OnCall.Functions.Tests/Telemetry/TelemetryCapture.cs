using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace OnCall.Functions.Tests.Telemetry;

/// <summary>
/// What the app exports, captured in memory through the same OpenTelemetry pipeline the real exporters sit on: spans as
/// they end, metric snapshots when flushed, log records as written; and each of them as text, for scanning.
/// </summary>
internal sealed class TelemetryCapture
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<string> _texts = new();

    public List<MetricSnapshot> Metrics { get; } = [];

    public IReadOnlyList<Activity> Spans => [.. _spans];

    /// <summary>Every exported span, metric point and log record, as text.</summary>
    public IReadOnlyList<string> Texts => [.. _texts];

    /// <summary>
    /// The fake servers run in the test's process, so the app's ASP.NET Core instrumentation also sees the requests they
    /// serve; a deployed app never does. Their server spans are left out of <see cref="Texts"/> by port.
    /// </summary>
    public HashSet<int> ForeignServerPorts { get; } = [];

    public void Register(IServiceCollection services) => services.AddOpenTelemetry()
        .WithTracing(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(new SpanExporter(this))))
        .WithMetrics(metrics => metrics.AddInMemoryExporter(Metrics))
        .WithLogging(logging => logging.AddProcessor(new SimpleLogRecordExportProcessor(new LogExporter(this))));

    /// <summary>Exports the metrics recorded so far, and their text.</summary>
    public IReadOnlyList<MetricSnapshot> FlushMetrics(TestApp app)
    {
        Metrics.Clear();
        app.Service<MeterProvider>().ForceFlush();
        foreach (var metric in Metrics)
        {
            foreach (var point in metric.MetricPoints)
            {
                var text = new StringBuilder(metric.Name).Append(' ').Append(metric.Description);
                foreach (var tag in point.Tags)
                {
                    text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
                }

                _texts.Enqueue(text.ToString());
            }
        }

        return Metrics;
    }

    /// <summary>The sum of a counter's points whose tags include every one of <paramref name="tags"/>.</summary>
    public long Sum(string metric, params (string Key, string Value)[] tags) =>
        Metrics.Where(m => m.Name == metric)
            .SelectMany(m => m.MetricPoints)
            .Where(p => tags.All(t => Tags(p).Contains($"{t.Key}={t.Value}")))
            .Sum(p => p.GetSumLong());

    private static HashSet<string> Tags(MetricPoint point)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            set.Add($"{tag.Key}={tag.Value}");
        }

        return set;
    }

    private sealed class SpanExporter(TelemetryCapture capture) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                capture._spans.Enqueue(span);
                if (span.Kind == ActivityKind.Server && span.GetTagItem("server.port") is int port && capture.ForeignServerPorts.Contains(port))
                {
                    continue;
                }

                var text = new StringBuilder(span.DisplayName).Append(' ').Append(span.OperationName).Append(' ').Append(span.StatusDescription);
                foreach (var tag in span.TagObjects)
                {
                    text.Append(' ').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
                }

                foreach (var spanEvent in span.Events)
                {
                    text.Append(' ').Append(spanEvent.Name);
                    foreach (var tag in spanEvent.Tags)
                    {
                        text.Append(' ').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
                    }
                }

                capture._texts.Enqueue(text.ToString());
            }

            return ExportResult.Success;
        }
    }

    private sealed class LogExporter(TelemetryCapture capture) : BaseExporter<LogRecord>
    {
        public override ExportResult Export(in Batch<LogRecord> batch)
        {
            foreach (var record in batch)
            {
                // Log records are pooled and reused: only their text is kept.
                var text = new StringBuilder(record.CategoryName).Append(' ').Append(record.FormattedMessage).Append(' ').Append(record.Body);
                foreach (var attribute in record.Attributes ?? [])
                {
                    text.Append(' ').Append(attribute.Key).Append('=').Append(Convert.ToString(attribute.Value, CultureInfo.InvariantCulture));
                }

                record.ForEachScope(
                    static (scope, builder) =>
                    {
                        foreach (var item in scope)
                        {
                            builder.Append(' ').Append(item.Key).Append('=').Append(Convert.ToString(item.Value, CultureInfo.InvariantCulture));
                        }
                    },
                    text);
                text.Append(' ').Append(record.Exception);
                capture._texts.Enqueue(text.ToString());
            }

            return ExportResult.Success;
        }
    }
}
