using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnCall.Core.Events;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Events;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Events;

public sealed class ServiceBusStartupTests
{
    private const string Key = "topsecretkey0123456789=";

    [Fact]
    public void Validate_ConnectionStringWithoutKey_RejectedWithoutRepeatingIt()
    {
        var message = StartupError(new() { ["OnCall:ServiceBus:ConnectionString"] = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=topsecretname" });

        Assert.Contains("OnCall:ServiceBus:ConnectionString needs SharedAccessKeyName and SharedAccessKey", message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecretname", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("just " + Key)]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + Key + ";Broken")]
    [InlineData("Endpoint=;SharedAccessKeyName=send;SharedAccessKey=" + Key)]
    public void Validate_MalformedConnectionString_NamesTheSettingNotTheKey(string connectionString)
    {
        var message = StartupError(new() { ["OnCall:ServiceBus:ConnectionString"] = connectionString });

        Assert.Contains("OnCall:ServiceBus:ConnectionString is not a Service Bus connection string", message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecretkey", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConnectionStringWithoutEndpoint_NamesTheSettingNotTheKey()
    {
        var message = StartupError(new() { ["OnCall:ServiceBus:ConnectionString"] = "SharedAccessKeyName=send;SharedAccessKey=" + Key });

        Assert.Contains("OnCall:ServiceBus:ConnectionString needs Endpoint=sb://", message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecretkey", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConnectionStringForAnotherEntity_Rejected()
    {
        var message = StartupError(new()
        {
            ["OnCall:ServiceBus:ConnectionString"] = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + Key + ";EntityPath=other-topic",
            ["OnCall:ServiceBus:Topic"] = "oncall-events",
        });

        Assert.Contains("OnCall:ServiceBus:ConnectionString has an EntityPath other than OnCall:ServiceBus:Topic", message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecretkey", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a host name")]
    [InlineData("ns_servicebus!")]
    public void Validate_BadNamespace_NamesTheSetting(string value)
    {
        var message = StartupError(new() { ["OnCall:ServiceBus:Namespace"] = value });

        Assert.Contains("OnCall:ServiceBus:Namespace must be a host name", message, StringComparison.Ordinal);
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
    public void Validate_RetryOutOfRange_NamesTheSetting()
    {
        var message = StartupError(new()
        {
            ["OnCall:ServiceBus:Namespace"] = "ns.servicebus.windows.net",
            ["OnCall:ServiceBus:Retry:MaxRetries"] = "50",
        });

        Assert.Contains("OnCall:ServiceBus:Retry:MaxRetries must be from 0 to 10", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RetryOutlastingTheNoticeClaim_Rejected()
    {
        var message = StartupError(new()
        {
            ["OnCall:ServiceBus:Namespace"] = "ns.servicebus.windows.net",
            ["OnCall:ServiceBus:Retry:MaxRetries"] = "5",
            ["OnCall:ServiceBus:Retry:TryTimeout"] = "00:00:30",
        });

        Assert.Contains("OnCall:ServiceBus:Retry allows a send to take 230 s", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ConnectionString_OneSenderForTheTopicClosedWithTheContainer()
    {
        var services = Create(new()
        {
            ["OnCall:ServiceBus:ConnectionString"] = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + Key,
            ["OnCall:ServiceBus:Topic"] = "handoffs",
        });
        var sender = services.GetRequiredService<ServiceBusSender>();
        var client = services.GetRequiredService<ServiceBusClient>();

        Assert.Same(sender, services.GetRequiredService<ServiceBusSender>());
        Assert.Equal(("ns.servicebus.windows.net", "handoffs"), (sender.FullyQualifiedNamespace, sender.EntityPath));
        Assert.IsType<ServiceBusPublisher>(services.GetRequiredService<IEventPublisher>());
        await services.DisposeAsync();
        Assert.True(sender.IsClosed && client.IsClosed);
    }

    [Theory]
    [InlineData("ns.servicebus.windows.net")]
    [InlineData("https://ns.servicebus.windows.net:443/")]
    public async Task Create_Namespace_ClientForItsHost(string value)
    {
        await using var services = Create(new()
        {
            ["OnCall:ServiceBus:Namespace"] = value,
            ["OnCall:ServiceBus:ClientId"] = "00000000-0000-0000-0000-000000000001",
        });

        var sender = services.GetRequiredService<ServiceBusSender>();

        Assert.Equal(("ns.servicebus.windows.net", "oncall-events"), (sender.FullyQualifiedNamespace, sender.EntityPath));
    }

    [Fact]
    public void ClientOptions_RetrySettings_TheSdksExponentialRetries()
    {
        var options = new ServiceBusOptions { Namespace = "ns.servicebus.windows.net" };
        options.Retry.MaxRetries = 2;
        options.Retry.TryTimeout = TimeSpan.FromSeconds(5);

        var retry = ServiceBusClients.ClientOptions(options).RetryOptions;

        Assert.Equal(
            (ServiceBusRetryMode.Exponential, 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)),
            (retry.Mode, retry.MaxRetries, retry.Delay, retry.MaxDelay, retry.TryTimeout));
    }

    [Fact]
    public async Task PublishAsync_NothingConfigured_NotConfiguredWithoutASendOrAClient()
    {
        var sender = new RecordingServiceBusSender();
        await using var services = Create([], s => s.AddSingleton<ServiceBusSender>(sender));

        var delivery = await services.GetRequiredService<IEventPublisher>().PublishAsync(new DomainEvent("handoff.missed", "id-1", new { a = 1 }));

        Assert.Equal(ChannelDelivery.NotConfigured(NotificationChannel.ServiceBus), delivery);
        Assert.Equal(0, sender.Attempts);
        Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ServiceBusClient>());
    }

    internal static ServiceProvider Create(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddOnCallEvents(configuration);
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
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
