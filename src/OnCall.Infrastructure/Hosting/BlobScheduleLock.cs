using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnCall.Infrastructure.Storage;

namespace OnCall.Infrastructure.Hosting;

/// <summary>A held timer lock; dispose releases it.</summary>
public interface IScheduleLease : IAsyncDisposable
{
    /// <summary>Records that the occurrence ran, so no other instance runs it again.</summary>
    Task CompleteAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Keeps a timer function to one instance at a time, as the Functions host does: a blob lease per function
/// while it runs, and the last completed occurrence in the blob's metadata, so an instance that wakes a little
/// later does not run the same occurrence again.
/// </summary>
public sealed class BlobScheduleLock(
    BlobServiceClient blobs,
    IOptions<StorageOptions> options,
    TimeProvider timeProvider,
    ILogger<BlobScheduleLock> logger)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);
    private const string LastOccurrenceKey = "lastoccurrence";

    /// <summary>
    /// Takes the lock of <paramref name="function"/>; null when another instance holds it or, for a scheduled
    /// <paramref name="occurrence"/>, when that occurrence has already run.
    /// </summary>
    public async Task<IScheduleLease?> TryAcquireAsync(
        string function,
        DateTimeOffset? occurrence,
        CancellationToken cancellationToken = default)
    {
        var container = blobs.GetBlobContainerClient(options.Value.ContainerName("locks"));
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var blob = container.GetBlobClient($"timers/{function}");
        try
        {
            await blob.UploadAsync(
                BinaryData.Empty,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            // Already there: the usual case.
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            logger.LogInformation("Timer {Function} is running on another instance; skipping.", function);
            return null;
        }

        var held = new Lease(blob, lease, timeProvider, logger);
        if (occurrence is { } due)
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (properties.Value.Metadata.TryGetValue(LastOccurrenceKey, out var last)
                && DateTimeOffset.TryParse(last, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var lastRun)
                && lastRun >= due)
            {
                await held.DisposeAsync();
                return null;
            }

            held.Occurrence = due;
        }

        return held;
    }

    private sealed class Lease : IScheduleLease
    {
        private readonly BlobClient _blob;
        private readonly BlobLeaseClient _lease;
        private readonly TimeProvider _timeProvider;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;

        public Lease(BlobClient blob, BlobLeaseClient lease, TimeProvider timeProvider, ILogger logger)
        {
            _blob = blob;
            _lease = lease;
            _timeProvider = timeProvider;
            _logger = logger;
            _renewal = RenewAsync(_stop.Token);
        }

        public DateTimeOffset? Occurrence { get; set; }

        public async Task CompleteAsync(CancellationToken cancellationToken = default)
        {
            if (Occurrence is { } occurrence)
            {
                await _blob.SetMetadataAsync(
                    new Dictionary<string, string> { [LastOccurrenceKey] = occurrence.ToString("O", CultureInfo.InvariantCulture) },
                    new BlobRequestConditions { LeaseId = _lease.LeaseId },
                    cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewal;
            _stop.Dispose();
            try
            {
                await _lease.ReleaseAsync();
            }
            catch (RequestFailedException exception)
            {
                // The lease expires by itself within a minute.
                _logger.LogWarning(exception, "Could not release the lease on {Blob}.", _blob.Name);
            }
        }

        private async Task RenewAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(RenewEvery, _timeProvider, cancellationToken);
                    await _lease.RenewAsync(cancellationToken: cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // Released.
            }
            catch (RequestFailedException exception)
            {
                _logger.LogWarning(exception, "Lost the lease on {Blob}; another instance may start the same timer.", _blob.Name);
            }
        }
    }
}
