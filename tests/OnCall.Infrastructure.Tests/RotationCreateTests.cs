using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

/// <summary>A create stores the rotation, and with it its feed token, only after the slow part: the calendar state.</summary>
[Collection(StorageTests.Collection)]
public sealed class RotationCreateTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CancellationTokenSource _client = new();
    private readonly ServiceProvider _services = Services(azurite, new CancelOnLedgerWrite());

    [Fact]
    public async Task PutAsync_ClientGivesUpWhileTheLedgerIsWritten_StoresNoRotationAndTheRetryGetsAToken()
    {
        var rotations = _services.GetRequiredService<RotationService>();
        _services.GetRequiredService<CancelOnLedgerWrite>().Source = _client;
        var settings = Samples.Settings() with { Horizon = Period.FromDays(366) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rotations.PutAsync(settings, _client.Token));

        Assert.Null(await _services.GetRequiredService<IRotationRepository>().FindAsync("platform"));
        var retried = await rotations.PutAsync(settings);
        Assert.True(retried.Created);
        Assert.False(string.IsNullOrEmpty(retried.FeedToken));
    }

    public void Dispose()
    {
        _services.Dispose();
        _client.Dispose();
    }

    private static ServiceProvider Services(AzuriteFixture azurite, CancelOnLedgerWrite policy)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["OnCall:Storage:Prefix"] = AzuriteFixture.NewPrefix(),
            })
            .Build();
        var options = new TableClientOptions();
        options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddOnCallStorage(configuration)
            .AddOnCallRotations(configuration)
            .AddOnCallCalendarFeeds(configuration)
            .AddSingleton(new TableServiceClient(azurite.ConnectionString, options))
            .AddSingleton(policy)
            .BuildServiceProvider();
    }

    /// <summary>Stands for a client that gives up: cancels the request's token when the ledger is first written.</summary>
    private sealed class CancelOnLedgerWrite : HttpPipelineSynchronousPolicy
    {
        public CancellationTokenSource? Source { get; set; }

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get && message.Request.Uri.Path.Contains(TableFeedLedger.TableName, StringComparison.Ordinal))
            {
                Source?.Cancel();
            }
        }
    }
}
