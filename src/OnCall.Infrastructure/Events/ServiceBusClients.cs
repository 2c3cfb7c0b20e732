using Azure.Identity;
using Azure.Messaging.ServiceBus;

namespace OnCall.Infrastructure.Events;

/// <summary>The app's <see cref="ServiceBusClient"/>, made from validated <see cref="ServiceBusOptions"/>.</summary>
internal static class ServiceBusClients
{
    /// <summary>
    /// A client for the connection string, else for the namespace with <see cref="DefaultAzureCredential"/> (the
    /// user-assigned identity of <see cref="ServiceBusOptions.ClientId"/> when set). Nothing is connected until the first send.
    /// </summary>
    public static ServiceBusClient Create(ServiceBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured)
        {
            throw new InvalidOperationException(
                "Set OnCall:ServiceBus:ConnectionString or OnCall:ServiceBus:Namespace before asking for a Service Bus client.");
        }

        var clientOptions = ClientOptions(options);
        return !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new ServiceBusClient(options.ConnectionString, clientOptions)
            : new ServiceBusClient(
                ServiceBusOptions.HostOf(options.Namespace!),
                new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ClientId) ? null : options.ClientId,
                }),
                clientOptions);
    }

    internal static ServiceBusClientOptions ClientOptions(ServiceBusOptions options) => new()
    {
        RetryOptions = options.Retry.ToRetryOptions(),
    };
}
