using System.Text.Json.Nodes;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OnCall.Core.Events;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Events;

public sealed class ServiceBusPublisherTests
{
    private const string Key = "topsecretkey0123456789=";

    private static readonly DomainEvent Missed = new("handoff.missed", "202611121500-abcdefghij0123456789", new Body("202611121500-abcdefghij0123456789", "platform", ["INC-1"]));

    [Fact]
    public async Task PublishAsync_Event_OneMessageKeyedByIdWithTypeAsSubjectAndCamelCaseJson()
    {
        var sender = new RecordingServiceBusSender();
        await using var services = Create(sender);

        var delivery = await services.GetRequiredService<IEventPublisher>().PublishAsync(Missed);

        Assert.Equal(ChannelDelivery.Sent(NotificationChannel.ServiceBus), delivery);
        var message = Assert.Single(sender.Messages);
        Assert.Equal(("202611121500-abcdefghij0123456789", "handoff.missed", "application/json"), (message.MessageId, message.Subject, message.ContentType));
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["handoffId"] = "202611121500-abcdefghij0123456789", ["rotationId"] = "platform", ["carriedOver"] = new JsonArray("INC-1") },
            JsonNode.Parse(message.Body.ToString())));
    }

    [Fact]
    public async Task PublishAsync_ServiceBusBusy_FailedThenSentWithTheSameMessageId()
    {
        var sender = new RecordingServiceBusSender();
        sender.FailNext(new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy));
        await using var services = Create(sender);
        var publisher = services.GetRequiredService<IEventPublisher>();

        var first = await publisher.PublishAsync(Missed);
        var second = await publisher.PublishAsync(Missed);

        Assert.Equal(ChannelDelivery.Failed(NotificationChannel.ServiceBus, "Service Bus ServiceBusy (transient)"), first);
        Assert.Equal(ChannelDelivery.Sent(NotificationChannel.ServiceBus), second);
        Assert.Equal((2, Missed.MessageId), (sender.Attempts, Assert.Single(sender.Messages).MessageId));
    }

    [Theory]
    [InlineData("entity", "Service Bus MessagingEntityNotFound")]
    [InlineData("unauthorised", "not authorised to send to the topic")]
    [InlineData("credential", "no Entra ID token for the app's identity")]
    [InlineData("timeout", "timed out")]
    public async Task PublishAsync_SendThrows_FailedWithAShortReason(string kind, string reason)
    {
        var sender = new RecordingServiceBusSender();
        sender.FailNext(kind switch
        {
            "entity" => new ServiceBusException("The messaging entity could not be found.", ServiceBusFailureReason.MessagingEntityNotFound),
            "unauthorised" => new UnauthorizedAccessException("Unauthorized access. 'Send' claim(s) are required to perform this operation."),
            "credential" => new AuthenticationFailedException("ManagedIdentityCredential authentication failed."),
            _ => new TaskCanceledException("The operation was cancelled because it exceeded the try timeout."),
        });
        await using var services = Create(sender);

        var delivery = await services.GetRequiredService<IEventPublisher>().PublishAsync(Missed);

        Assert.Equal(ChannelDelivery.Failed(NotificationChannel.ServiceBus, reason), delivery);
        Assert.Empty(sender.Messages);
    }

    [Fact]
    public async Task PublishAsync_CallerCancels_Throws()
    {
        var sender = new RecordingServiceBusSender();
        await using var services = Create(sender);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.GetRequiredService<IEventPublisher>().PublishAsync(Missed, cancelled.Token));
        Assert.Empty(sender.Messages);
    }

    [Fact]
    public async Task PublishAsync_FailsWithAConnectionString_LogsTheKindNotTheKey()
    {
        var logs = new FakeLogCollector();
        var sender = new RecordingServiceBusSender();
        sender.FailNext(new UnauthorizedAccessException("Put token failed. status-code: 401, status-description: InvalidSignature."));
        await using var services = ServiceBusStartupTests.Create(
            new()
            {
                ["OnCall:ServiceBus:ConnectionString"] = $"Endpoint=sb://{RecordingServiceBusSender.Namespace}/;SharedAccessKeyName=send;SharedAccessKey={Key}",
            },
            s => s.AddSingleton<ServiceBusSender>(sender).AddLogging(l => l.AddProvider(new FakeLoggerProvider(logs))));

        var delivery = await services.GetRequiredService<IEventPublisher>().PublishAsync(Missed);

        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        var line = Assert.Single(logs.Lines(), l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("UnauthorizedAccessException", line, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines(), l => l.Contains("topsecretkey", StringComparison.Ordinal) || l.Contains("SharedAccessKey", StringComparison.Ordinal));
    }

    private static ServiceProvider Create(RecordingServiceBusSender sender) =>
        ServiceBusStartupTests.Create(
            RecordingServiceBusSender.Settings().ToDictionary(p => p.Key, p => (string?)p.Value),
            s => s.AddSingleton<ServiceBusSender>(sender));

    private sealed record Body(string HandoffId, string RotationId, IReadOnlyList<string> CarriedOver);
}
