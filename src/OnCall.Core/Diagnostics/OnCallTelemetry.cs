using System.Diagnostics;

namespace OnCall.Core.Diagnostics;

/// <summary>
/// The app's own spans (one per function invocation, named after the function) and the names of the attributes that
/// carry its ids. Exporters pick them up by <see cref="Name"/>; without a listener, starting a span costs nothing.
/// </summary>
public static class OnCallTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "OnCall";

    public const string FunctionAttribute = "faas.name";
    public const string IncidentAttribute = "oncall.incident.id";
    public const string RotationAttribute = "oncall.rotation.id";
    public const string HandoffAttribute = "oncall.handoff.id";
    public const string SwapAttribute = "oncall.swap.id";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// Starts the span of one function invocation. <paramref name="traceParent"/> (a W3C <c>traceparent</c>, e.g. from a
    /// queue message) makes it a child of the trace that sent the message; otherwise it is a child of the current span.
    /// </summary>
    public static Activity? StartFunction(string function, ActivityKind kind, string? traceParent = null, string? traceState = null)
    {
        var activity = traceParent is not null && ActivityContext.TryParse(traceParent, traceState, out var parent)
            ? Source.StartActivity(function, kind, parent)
            : Source.StartActivity(function, kind);
        activity?.SetTag(FunctionAttribute, function);
        return activity;
    }

    /// <summary>Adds an id attribute to the current span (the function's, or a child's), if any is recorded.</summary>
    public static void Tag(string attribute, string? value)
    {
        if (value is not null)
        {
            Activity.Current?.SetTag(attribute, value);
        }
    }

    /// <summary>The current span's W3C trace context, to send along with work queued for later.</summary>
    public static (string? TraceParent, string? TraceState) CurrentContext() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? (current.Id, current.TraceStateString) : (null, null);
}
