using System.Collections.Concurrent;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Events;
using OnCall.Core.Handoffs;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Core.Tests;

/// <summary>Handoffs in memory, with versions checked as Table Storage checks ETags.</summary>
internal sealed class InMemoryHandoffs : IHandoffRepository
{
    private readonly ConcurrentDictionary<string, StoredHandoff> _rows = new(StringComparer.Ordinal);
    private int _version;

    public Task<bool> AddIfAbsentAsync(Handoff handoff, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.TryAdd(handoff.Id, new StoredHandoff(handoff, NextVersion())));

    public Task<StoredHandoff?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.TryGetValue(id, out var row) ? row : null);

    public Task<IReadOnlyList<StoredHandoff>> ListDueAsync(Instant dueFrom, Instant dueBefore, string? rotationId = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredHandoff>>([.. _rows.Values.Where(r => r.Handoff.Due >= dueFrom && r.Handoff.Due < dueBefore && (rotationId is null || r.Handoff.RotationId == rotationId))]);

    public Task DeleteAsync(string id, string etag, CancellationToken cancellationToken = default) =>
        _rows.GetValueOrDefault(id) is { } row && row.ETag == etag && _rows.TryRemove(new KeyValuePair<string, StoredHandoff>(id, row))
            ? Task.CompletedTask
            : throw new ConcurrencyException("Handoff", id);

    public Task<string> SaveAsync(Handoff handoff, string etag, CancellationToken cancellationToken = default)
    {
        var current = _rows.GetValueOrDefault(handoff.Id);
        var next = new StoredHandoff(handoff, NextVersion());
        if (current is null || current.ETag != etag || !_rows.TryUpdate(handoff.Id, next, current))
        {
            throw new ConcurrencyException("Handoff", handoff.Id);
        }

        return Task.FromResult(next.ETag);
    }

    private string NextVersion() => Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed class OneRotation(Rotation rotation) : IRotationRepository
{
    private RotationAggregate Aggregate => new(rotation, [], "1");

    public Task<RotationAggregate?> FindAsync(string rotationId, CancellationToken cancellationToken = default) =>
        Task.FromResult<RotationAggregate?>(rotationId == rotation.Id ? Aggregate : null);

    public Task<IReadOnlyList<RotationAggregate>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RotationAggregate>>([Aggregate]);

    public Task SaveAsync(Rotation rotation, string? etag, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task AddOverrideAsync(string rotationId, string etag, Override addition, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> RemoveOverrideAsync(string rotationId, string overrideId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(string rotationId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}

/// <summary>A Slack channel that answers with <see cref="Outcome"/>; counts what it was asked to send.</summary>
internal sealed class ScriptedNotifier : INotifier
{
    public DeliveryStatus Outcome { get; set; } = DeliveryStatus.Sent;

    public List<Notification> Sent { get; } = [];

    public Task<NotificationResult> NotifyAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        Sent.Add(notification);
        return Task.FromResult(new NotificationResult([new ChannelDelivery(NotificationChannel.Slack, Outcome, Outcome == DeliveryStatus.Failed ? "HTTP 500" : null)]));
    }
}

internal sealed class NoLinks : IHandoffLinks
{
    public Uri? AcknowledgeLink(Handoff handoff, DateTimeZone zone, string email) => null;

    public LinkCheck Check(string id, string? email, string? expires, string? signature, Instant now) => LinkCheck.NotConfigured;
}

internal sealed class NoCarriedOver : ICarriedOverItems
{
    public Task<IReadOnlyList<string>?> ForAsync(string rotationId, Member outgoing, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>?>([]);
}

/// <summary>A Service Bus topic that answers with <see cref="Outcome"/>; keeps what it was asked to publish.</summary>
internal sealed class ScriptedEvents : IEventPublisher
{
    public DeliveryStatus Outcome { get; set; } = DeliveryStatus.NotConfigured;

    public List<DomainEvent> Published { get; } = [];

    public Task<ChannelDelivery> PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        Published.Add(domainEvent);
        return Task.FromResult(new ChannelDelivery(NotificationChannel.ServiceBus, Outcome, Outcome == DeliveryStatus.Sent ? null : "HTTP 503"));
    }
}

/// <summary>Meters outside a DI container, for the services' metrics in unit tests.</summary>
internal sealed class PlainMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    public static OnCall.Core.Diagnostics.OnCallMetrics Metrics() => new(new PlainMeterFactory());

    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
