namespace OnCall.Core.Ports;

/// <summary>Sends work to a queue function's queue (the name as declared, without the storage prefix).</summary>
public interface IMessageSender
{
    Task SendAsync(string queue, string body, TimeSpan? delay = null, CancellationToken cancellationToken = default);
}
