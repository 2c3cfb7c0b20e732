using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace OnCall.TestSupport;

/// <summary>
/// A <see cref="ServiceBusSender"/> that keeps what it is given, made as the Azure SDK's mocking guidance has it (the
/// protected constructor, the virtual send), so no namespace is ever reached. Register it as the app's sender with
/// <c>services.AddSingleton&lt;ServiceBusSender&gt;(sender)</c> and turn Service Bus on with <see cref="Settings"/>.
/// <see cref="FailNext"/> makes the next sends throw, as the SDK does once its own retries are spent.
/// </summary>
public sealed class RecordingServiceBusSender : ServiceBusSender
{
    public const string Namespace = "oncall-test.servicebus.windows.net";
    public const string Topic = "oncall-events";

    private readonly ConcurrentQueue<ServiceBusMessage> _messages = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private int _attempts;

    /// <summary>Messages sent, in order; a send that threw is not among them.</summary>
    public IReadOnlyList<ServiceBusMessage> Messages => [.. _messages];

    /// <summary>Sends asked for, the failed ones included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public override string FullyQualifiedNamespace => Namespace;

    public override string EntityPath => Topic;

    /// <summary>Settings that turn Service Bus on for this namespace and topic (the app's own client is never made while this sender is registered).</summary>
    public static Dictionary<string, string> Settings() => new()
    {
        ["OnCall:ServiceBus:Namespace"] = Namespace,
        ["OnCall:ServiceBus:Topic"] = Topic,
    };

    /// <summary>The next <paramref name="times"/> sends throw <paramref name="exception"/>, e.g. <c>new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy)</c>.</summary>
    public void FailNext(Exception exception, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var i = 0; i < times; i++)
        {
            _failures.Enqueue(exception);
        }
    }

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _attempts);
        if (_failures.TryDequeue(out var failure))
        {
            return Task.FromException(failure);
        }

        _messages.Enqueue(message);
        return Task.CompletedTask;
    }

    // The base closes the connection a real sender has; this one has none.
    public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
