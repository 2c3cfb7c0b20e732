using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Builds the Table, Queue and Blob service clients from <c>AzureWebJobsStorage</c> as the Functions host reads it:
/// a connection string (Azurite, or an account key), else an identity-based connection whose endpoints come from
/// <c>AzureWebJobsStorage__{blob|queue|table}ServiceUri</c> or <c>AzureWebJobsStorage__accountName</c>, authenticated
/// with <see cref="DefaultAzureCredential"/> (the app's managed identity in Azure, a developer's sign-in locally).
/// </summary>
public static class StorageClients
{
    public const string Setting = "AzureWebJobsStorage";

    // One credential per options instance, so the three clients share its token cache.
    private static readonly ConditionalWeakTable<StorageOptions, TokenCredential> Credentials = [];

    /// <summary>Reads the connection from the <c>AzureWebJobsStorage</c> value and section.</summary>
    public static void Configure(StorageOptions options, IConfiguration configuration)
    {
        var connection = configuration.GetSection(Setting);
        options.ConnectionString = connection.Value ?? options.ConnectionString;
        options.AccountName = connection["accountName"] ?? options.AccountName;
        options.BlobServiceUri = UriOrNull(connection, "blobServiceUri") ?? options.BlobServiceUri;
        options.QueueServiceUri = UriOrNull(connection, "queueServiceUri") ?? options.QueueServiceUri;
        options.TableServiceUri = UriOrNull(connection, "tableServiceUri") ?? options.TableServiceUri;
        options.ClientId = connection["clientId"] ?? options.ClientId;
    }

    public static TableServiceClient Tables(StorageOptions options, TableClientOptions clientOptions) =>
        options.UsesConnectionString
            ? new TableServiceClient(options.ConnectionString, clientOptions)
            : new TableServiceClient(ServiceUri(options, "table"), Credential(options), clientOptions);

    public static QueueServiceClient Queues(StorageOptions options, QueueClientOptions clientOptions) =>
        options.UsesConnectionString
            ? new QueueServiceClient(options.ConnectionString, clientOptions)
            : new QueueServiceClient(ServiceUri(options, "queue"), Credential(options), clientOptions);

    public static BlobServiceClient Blobs(StorageOptions options, BlobClientOptions clientOptions) =>
        options.UsesConnectionString
            ? new BlobServiceClient(options.ConnectionString, clientOptions)
            : new BlobServiceClient(ServiceUri(options, "blob"), Credential(options), clientOptions);

    /// <summary>
    /// An identity-based connection's endpoint for <paramref name="service"/> (<c>blob</c>, <c>queue</c> or
    /// <c>table</c>).
    /// </summary>
    public static Uri ServiceUri(StorageOptions options, string service)
    {
        var configured = service switch
        {
            "blob" => options.BlobServiceUri,
            "queue" => options.QueueServiceUri,
            "table" => options.TableServiceUri,
            _ => throw new ArgumentOutOfRangeException(nameof(service), service, "Expected blob, queue or table."),
        };
        if (configured is not null)
        {
            return configured;
        }

        // Options validation has already refused a connection with neither, so this message is a last resort.
        return string.IsNullOrWhiteSpace(options.AccountName)
            ? throw new InvalidOperationException(
                $"Storage has no connection string, no {Setting}__{service}ServiceUri and no {Setting}__accountName.")
            : new Uri($"https://{options.AccountName}.{service}.core.windows.net/");
    }

    private static TokenCredential Credential(StorageOptions options) =>
        Credentials.GetValue(options, o => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ClientId) ? null : o.ClientId,
        }));

    // Relative URIs pass here so that validation names the setting; only unparseable text fails at once.
    private static Uri? UriOrNull(IConfigurationSection connection, string key) => connection[key] switch
    {
        null or "" => null,
        var value when Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out var uri) => uri,
        var value => throw new InvalidOperationException($"{Setting}__{key} '{value}' is not a URI."),
    };
}
