using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

[Collection(StorageTests.Collection)]
public sealed class SecretLoggingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SyncCalendars_EveryLogLevel_LogsNeitherThePrivateKeyNorTheAccessToken()
    {
        var logs = new FakeLogCollector();
        await using var kit = await GoogleSyncKit.StartAsync(
            azurite,
            realClock: true,
            settings: new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Trace" },
            services: s => s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        await kit.CreateAsync();
        kit.Google.EnqueueCallFault(403, "rateLimitExceeded");

        await kit.SyncAsync();

        var key = System.Text.Json.Nodes.JsonNode.Parse(kit.Google.ServiceAccountJson)!["private_key"]!.GetValue<string>().Split('\n')[1];
        var token = Assert.Single(kit.Google.AccessTokens);
        Assert.NotEmpty(logs.Lines());
        Assert.DoesNotContain(logs.Lines(), line => line.Contains(key, StringComparison.Ordinal) || line.Contains(token, StringComparison.Ordinal));
    }
}
