using OnCall.Core.Incidents;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Core.Handoffs;

/// <summary>What the outgoing engineer hands over: the open incidents of the rotation they command.</summary>
public interface ICarriedOverItems
{
    /// <summary>One line per open incident of <paramref name="rotationId"/> commanded by <paramref name="outgoing"/>, newest first.</summary>
    Task<IReadOnlyList<string>> ForAsync(string rotationId, Member outgoing, CancellationToken cancellationToken = default);
}

/// <summary>Carried-over items from the incidents table.</summary>
public sealed class CarriedOverIncidents(IIncidentRepository incidents) : ICarriedOverItems
{
    public async Task<IReadOnlyList<string>> ForAsync(string rotationId, Member outgoing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        var open = await incidents.ListOpenAsync(rotationId, cancellationToken);
        return [.. open
            .Where(i => !i.IsClosed && string.Equals(i.Commander?.Email, outgoing.Email, StringComparison.OrdinalIgnoreCase))
            .Select(Describe)];
    }

    public static string Describe(Incident incident) =>
        $"{incident.Title} ({incident.Severity.ToString().ToLowerInvariant()}, {incident.Status.ToString().ToLowerInvariant()}; incident {incident.Id})";
}
