using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Events;

namespace OnCall.Infrastructure;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IEventPublisher"/> to the Service Bus topic from <c>OnCall:ServiceBus</c> (validated at start; off,
    /// every event not configured, until a connection string or namespace is set), sending through one
    /// <see cref="ServiceBusSender"/> of one <see cref="ServiceBusClient"/>, both singletons disposed with the container,
    /// whose retries and attempt timeout come from <c>OnCall:ServiceBus:Retry</c>. A <see cref="ServiceBusSender"/>
    /// registered before or after this one (a test's) is used instead, and then no client is made.
    /// </summary>
    public static IServiceCollection AddOnCallEvents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ServiceBusOptions>()
            .Bind(configuration.GetSection(ServiceBusOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Made when first asked for, so only when configured; the container disposes what its factories made.
        services.TryAddSingleton(provider => ServiceBusClients.Create(provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value));
        services.TryAddSingleton(provider => provider.GetRequiredService<ServiceBusClient>()
            .CreateSender(provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value.Topic));
        services.AddSingleton<IEventPublisher>(provider => provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value.IsConfigured
            ? ActivatorUtilities.CreateInstance<ServiceBusPublisher>(provider)
            : new NotConfiguredEventPublisher());
        return services;
    }
}
