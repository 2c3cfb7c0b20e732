using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Core.TimeOff;

/// <summary>Recording, listing and removing the time off of a rotation's members.</summary>
public sealed class TimeOffService(
    RotationService rotations,
    ITimeOffRepository repository,
    ICoverageNoticeRepository coverageNotices,
    CoverageCheckRequests coverageChecks,
    TimeProvider timeProvider)
{
    public async Task<TimeOffEntry> AddAsync(string rotationId, TimeOffSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new ValidationErrors();
        TimeOffRules.Check(spec, errors);
        errors.ThrowIfAny();

        var aggregate = await rotations.GetAsync(rotationId, cancellationToken);
        var member = TimeOffRules.FindMember(aggregate.Rotation.Settings, spec.Member)
            ?? throw new ValidationFailedException("member", $"'{spec.Member}' is not a member of any layer of rotation '{rotationId}'.");
        var entry = new TimeOffEntry(NewId(), member, spec.Start, spec.End, spec.Reason, timeProvider.GetCurrentInstant());
        await repository.AddAsync(rotationId, entry, cancellationToken);
        await coverageChecks.RequestAsync(rotationId, cancellationToken);
        return entry;
    }

    /// <summary>A rotation's time off, ordered by start. Does not check that the rotation exists.</summary>
    public Task<IReadOnlyList<TimeOffEntry>> ListAsync(string rotationId, CancellationToken cancellationToken = default) =>
        repository.ListAsync(RotationRules.RequireId(rotationId, "id"), cancellationToken: cancellationToken);

    public async Task RemoveAsync(string rotationId, string timeOffId, CancellationToken cancellationToken = default)
    {
        RotationRules.RequireId(rotationId, "id");
        if (!await repository.RemoveAsync(rotationId, RotationRules.RequireId(timeOffId, "timeOffId"), cancellationToken))
        {
            throw new NotFoundException("Time off", timeOffId);
        }

        await coverageChecks.RequestAsync(rotationId, cancellationToken);
    }

    /// <summary>Removes every entry of a rotation and its coverage notices, for its deletion; nothing to remove is not an error.</summary>
    public async Task DeleteAllAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        await coverageNotices.DeleteAllAsync(RotationRules.RequireId(rotationId, "id"), cancellationToken);
        await repository.DeleteAllAsync(rotationId, cancellationToken);
    }

    private static string NewId() => Guid.CreateVersion7().ToString("N");
}
