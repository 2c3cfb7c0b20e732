using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using OnCall.Core.Ports;
using OnCall.Core.TimeOff;
using OnCall.Infrastructure.Storage;
using OnCall.Infrastructure.TimeOff;

namespace OnCall.Infrastructure;

public static class TimeOffServiceCollectionExtensions
{
    /// <summary>
    /// Time off (its table), the coverage report built on it, and the coverage check: its look-ahead
    /// (<c>OnCall:Coverage</c>, validated at start), its notice table, and the CheckCoverage and CheckRotationCoverage
    /// jobs. Needs storage, rotations, notifications and handoffs (swap links).
    /// </summary>
    public static IServiceCollection AddOnCallTimeOff(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOnCallMetrics();
        services.AddOptions<CoverageOptions>()
            .Bind(configuration.GetSection(CoverageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new CoverageSettings(
            Duration.FromTimeSpan(sp.GetRequiredService<IOptions<CoverageOptions>>().Value.LookAhead)));
        services.AddSingleton<ITimeOffRepository, TableTimeOffRepository>();
        services.AddTableHealthCheck(TableTimeOffRepository.TableName);
        services.AddSingleton<ICoverageNoticeRepository, TableCoverageNoticeRepository>();
        services.AddSingleton<TimeOffService>();
        services.AddSingleton<CoverageService>();
        services.AddSingleton<CoverageCheckService>();
        services.AddSingleton<CheckCoverageJob>();
        services.AddSingleton<CheckRotationCoverageJob>();
        return services;
    }
}
