using System.Diagnostics;
using OnCall.Core.Diagnostics;

namespace OnCall.Functions.Jobs;

/// <summary>Runs a timer or queue function's work inside its span, so both hosting modes trace it the same way.</summary>
internal static class Traced
{
    public static async Task RunAsync(
        string function,
        Func<Task> work,
        ActivityKind kind = ActivityKind.Internal,
        string? traceParent = null,
        string? traceState = null)
    {
        using var span = OnCallTelemetry.StartFunction(function, kind, traceParent, traceState);
        try
        {
            await work();
        }
        catch (Exception exception)
        {
            span?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
    }
}
