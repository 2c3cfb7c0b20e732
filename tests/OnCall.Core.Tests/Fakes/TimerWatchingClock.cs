using Microsoft.Extensions.Time.Testing;

namespace OnCall.Core.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when code under test starts waiting on it (a timer or
/// <c>Task.Delay</c>), so a test advances the clock only once that wait exists.
/// </summary>
internal sealed class TimerWatchingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task TimerCreated => _timerCreated.Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timerCreated.TrySetResult();
        return timer;
    }
}
