using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Events;
using OnCall.Infrastructure.Http;

namespace OnCall.Infrastructure;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IEventPublisher"/> to the Service Bus topic from <c>OnCall:ServiceBus</c> (validated at start; off until
    /// a connection string or namespace is set), an outgoing client whose timeouts and retries come from
    /// <c>OnCall:ServiceBus:Http</c>.
    /// </summary>
    public static IServiceCollection AddOnCallEvents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ServiceBusOptions.Section);
        services.AddOptions<ServiceBusOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOutgoingClient<IEventPublisher, ServiceBusPublisher>("servicebus", section.GetSection("Http"));
        return services;
    }
}
