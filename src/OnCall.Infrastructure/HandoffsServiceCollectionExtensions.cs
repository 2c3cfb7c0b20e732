using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using OnCall.Core.Handoffs;
using OnCall.Core.Ports;
using OnCall.Core.Swaps;
using OnCall.Infrastructure.Handoffs;
using OnCall.Infrastructure.Storage;
using OnCall.Infrastructure.Swaps;

namespace OnCall.Infrastructure;

public static class HandoffsServiceCollectionExtensions
{
    /// <summary>
    /// Handoffs: their table, the use cases, signed acknowledge links (<c>OnCall:Handoffs</c>, validated at start) and the
    /// PlanHandoffs and FlagMissedHandoffs jobs. Needs storage, rotations, notifications, events and incidents (open items).
    /// </summary>
    public static IServiceCollection AddOnCallHandoffs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOnCallMetrics();
        services.AddOptions<HandoffOptions>()
            .Bind(configuration.GetSection(HandoffOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new HandoffSettings(
            Duration.FromTimeSpan(sp.GetRequiredService<IOptions<HandoffOptions>>().Value.ReminderLead)));
        services.AddSingleton<IHandoffRepository, TableHandoffRepository>();
        services.AddTableHealthCheck(TableHandoffRepository.TableName);
        services.AddSingleton<LinkSignature>();
        services.AddSingleton<HandoffLinkSigner>();
        services.AddSingleton<SwapLinks>();
        services.AddSingleton<ISwapLinks>(sp => sp.GetRequiredService<SwapLinks>());
        services.AddSingleton<IHandoffLinks>(sp => sp.GetRequiredService<HandoffLinkSigner>());
        services.AddSingleton<ICarriedOverItems, CarriedOverIncidents>();
        services.AddSingleton<HandoffService>();
        services.AddSingleton<PlanHandoffsJob>();
        services.AddSingleton<FlagMissedHandoffsJob>();
        return services;
    }
}
