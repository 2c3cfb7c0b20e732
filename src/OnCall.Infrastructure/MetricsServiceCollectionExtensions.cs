using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OnCall.Core.Diagnostics;

namespace OnCall.Infrastructure;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// The <c>OnCall</c> meter's instruments (<see cref="OnCallMetrics"/>), for every feature that counts; registered once
    /// however many features ask. Where they are exported to is the host's concern.
    /// </summary>
    public static IServiceCollection AddOnCallMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<OnCallMetrics>();
        return services;
    }
}
