using System.ComponentModel.DataAnnotations;

namespace OnCall.Functions.Hosting;

/// <summary>
/// Standalone mode's queue trigger, bound from <c>OnCall:Queues</c>. The defaults are those of host.json's
/// <c>extensions.queues</c>, so a message is retried the same way under either host (a test keeps them equal).
/// </summary>
public sealed class QueueOptions
{
    public const string Section = "OnCall:Queues";

    /// <summary>Tries before a message moves to the poison queue.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a message that failed waits before its next try.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between polls of an empty queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many messages are handled at once (the host's <c>batchSize</c>).</summary>
    [Range(1, 32)]
    public int BatchSize { get; set; } = 16;

    /// <summary>How long a message being handled stays hidden from other instances; renewed at half this while its handler runs.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan MessageLease { get; set; } = TimeSpan.FromSeconds(30);
}
