namespace OnCall.Core.Events;

/// <summary>
/// A fact published for other systems to subscribe to (the Service Bus topic). <see cref="MessageId"/> is the same
/// every time the fact is published, so a repeat after a lost answer is dropped by the broker's duplicate detection
/// instead of being delivered twice.
/// </summary>
/// <param name="Type">What happened, e.g. <c>handoff.missed</c>; subscribers filter on it.</param>
/// <param name="MessageId">Stable for the fact: the id of the thing it is about.</param>
/// <param name="Data">The body, a record serialised as camelCase JSON.</param>
public sealed record DomainEvent(string Type, string MessageId, object Data);
