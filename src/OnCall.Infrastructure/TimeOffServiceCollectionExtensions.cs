using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Core.Ports;
using OnCall.Core.TimeOff;
using OnCall.Infrastructure.Storage;

namespace OnCall.Infrastructure;

public static class TimeOffServiceCollectionExtensions
{
    /// <summary>Time off (its table) and the coverage report built on it. Needs storage and rotations.</summary>
    public static IServiceCollection AddOnCallTimeOff(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<ITimeOffRepository, TableTimeOffRepository>();
        services.AddSingleton<TimeOffService>();
        services.AddSingleton<CoverageService>();
        return services;
    }
}
