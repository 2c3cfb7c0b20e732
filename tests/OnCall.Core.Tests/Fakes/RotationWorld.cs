using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using OnCall.Core.Feeds;
using OnCall.Core.Rotations;
using OnCall.Core.TimeOff;

namespace OnCall.Core.Tests.Fakes;

/// <summary>A <see cref="RotationService"/> wired to in-memory rotations, feed ledger and queue, on a fake clock.</summary>
internal sealed class RotationWorld
{
    public RotationWorld(Instant now)
    {
        Clock = new FakeTimeProvider(now.ToDateTimeOffset());
        Service = new RotationService(
            Rotations,
            Ledger,
            new CalendarStateService(Rotations, Ledger, Clock),
            new CoverageCheckRequests(Queue, NullLogger<CoverageCheckRequests>.Instance),
            new RecentRotations(Rotations, Clock),
            Clock,
            NullLogger<RotationService>.Instance);
    }

    public FakeTimeProvider Clock { get; }

    public InMemoryRotations Rotations { get; } = new();

    public InMemoryFeedLedger Ledger { get; } = new();

    public RecordingQueue Queue { get; } = new();

    public RotationService Service { get; }

    public Instant Now => Instant.FromDateTimeOffset(Clock.GetUtcNow());

    public IReadOnlyList<CoverageCheck> CoverageChecks => Queue.On(CoverageQueues.Checks);
}
