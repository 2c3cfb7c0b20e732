using System.ComponentModel.DataAnnotations;
using Azure.Messaging.ServiceBus;

namespace OnCall.Infrastructure.Events;

/// <summary>
/// The Service Bus SDK's retries of one send (<see cref="ServiceBusRetryOptions"/>, exponential), bound from
/// <c>OnCall:ServiceBus:Retry</c>. A send that still fails after them is recorded as failed and tried again on the
/// next run. By default 10 s an attempt and 3 retries from 1 s up to 10 s apart: at worst 70 s, well inside the
/// handoff notice's 2-minute claim (which <see cref="ServiceBusOptions"/> checks).
/// </summary>
public sealed class ServiceBusRetrySettings
{
    /// <summary>Retries after the first attempt, on transient failures only.</summary>
    [Range(0, 10, ErrorMessage = "OnCall:ServiceBus:Retry:MaxRetries must be from 0 to 10.")]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Wait before the first retry; later ones grow exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "OnCall:ServiceBus:Retry:Delay must be from 1 ms to 1 minute.")]
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "OnCall:ServiceBus:Retry:MaxDelay must be from 0 to 1 minute.")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on one attempt, opening the connection included; a slower one counts as a transient failure.</summary>
    [Range(
        typeof(TimeSpan),
        "00:00:00.100",
        "00:01:00",
        ErrorMessage = "OnCall:ServiceBus:Retry:TryTimeout must be from 100 ms to 1 minute.")]
    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one send can take: every attempt timing out, every wait the longest.</summary>
    internal TimeSpan WorstCase => (TryTimeout * (MaxRetries + 1)) + (MaxDelay * MaxRetries);

    internal ServiceBusRetryOptions ToRetryOptions() => new()
    {
        Mode = ServiceBusRetryMode.Exponential,
        MaxRetries = MaxRetries,
        Delay = Delay,
        MaxDelay = MaxDelay,
        TryTimeout = TryTimeout,
    };
}
