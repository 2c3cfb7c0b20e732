using Microsoft.Extensions.Logging;
using OnCall.Core.Incidents;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Core.Handoffs;

/// <summary>What the outgoing engineer hands over: the open incidents of the rotation they command.</summary>
public interface ICarriedOverItems
{
    /// <summary>
    /// One line per open incident of <paramref name="rotationId"/> commanded by <paramref name="outgoing"/>, newest
    /// first; null when they cannot be read now (planning goes on, keeping what it had).
    /// </summary>
    Task<IReadOnlyList<string>?> ForAsync(string rotationId, Member outgoing, CancellationToken cancellationToken = default);
}

/// <summary>Carried-over items from the incidents table.</summary>
public sealed class CarriedOverIncidents(IIncidentRepository incidents, ILogger<CarriedOverIncidents> logger) : ICarriedOverItems
{
    public async Task<IReadOnlyList<string>?> ForAsync(string rotationId, Member outgoing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        IReadOnlyList<Incident> open;
        try
        {
            open = await incidents.ListActiveAsync(rotationId, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The incidents table failing must not stop every rotation's handoffs from being planned.
            logger.LogWarning(
                "Open incidents of rotation {RotationId} not read for its handoffs ({ExceptionType}).",
                rotationId,
                e.GetType().Name);
            return null;
        }

        return [.. open
            .Where(i => !i.IsClosed && string.Equals(i.Commander?.Email, outgoing.Email, StringComparison.OrdinalIgnoreCase))
            .Select(Describe)];
    }

    public static string Describe(Incident incident) =>
        $"{incident.Title} ({incident.Severity.ToString().ToLowerInvariant()}, "
        + $"{incident.Status.ToString().ToLowerInvariant()}; incident {incident.Id})";
}
