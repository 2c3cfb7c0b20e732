using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnCall.Core.Events;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;

namespace OnCall.Infrastructure.Tests.Events;

public sealed class ServiceBusStartupTests
{
    [Fact]
    public void Validate_ConnectionStringWithoutKey_RejectedWithoutRepeatingIt()
    {
        var message = StartupError(new() { ["OnCall:ServiceBus:ConnectionString"] = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=topsecretname" });

        Assert.Contains("OnCall:ServiceBus:ConnectionString needs SharedAccessKeyName and SharedAccessKey", message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecretname", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConnectionStringAndNamespaceBoth_Rejected()
    {
        var message = StartupError(new()
        {
            ["OnCall:ServiceBus:ConnectionString"] = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v",
            ["OnCall:ServiceBus:Namespace"] = "ns.servicebus.windows.net",
        });

        Assert.Contains("not both", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_NothingConfigured_NotConfiguredWithoutARequest()
    {
        await using var services = Create([]);

        var delivery = await services.GetRequiredService<IEventPublisher>().PublishAsync(new DomainEvent("handoff.missed", "id-1", new { a = 1 }));

        Assert.Equal(ChannelDelivery.NotConfigured(NotificationChannel.ServiceBus), delivery);
    }

    private static ServiceProvider Create(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddOnCallEvents(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        services.GetRequiredService<IStartupValidator>().Validate();
        return services;
    }

    private static string StartupError(Dictionary<string, string?> settings)
    {
        var error = Record.Exception(() => Create(settings));

        var failures = error is AggregateException all ? all.InnerExceptions : [Assert.IsType<OptionsValidationException>(error)];
        return string.Join('\n', failures.Select(f => f.Message));
    }
}
