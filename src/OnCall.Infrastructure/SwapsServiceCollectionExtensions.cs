using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnCall.Core.Ports;
using OnCall.Core.Swaps;
using OnCall.Infrastructure.Storage;
using OnCall.Infrastructure.Swaps;

namespace OnCall.Infrastructure;

public static class SwapsServiceCollectionExtensions
{
    /// <summary>
    /// Shift swaps (<c>OnCall:Swaps</c>), stored beside their rotation. Needs storage, rotations, notifications and
    /// handoffs (signed links).
    /// </summary>
    public static IServiceCollection AddOnCallSwaps(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOnCallMetrics();
        services.AddOptions<SwapOptions>()
            .Bind(configuration.GetSection(SwapOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new SwapSettings(sp.GetRequiredService<IOptions<SwapOptions>>().Value.RequireApproval));
        services.AddSingleton<ISwapRepository, TableSwapRepository>();
        services.AddSingleton<SwapService>();
        return services;
    }
}
