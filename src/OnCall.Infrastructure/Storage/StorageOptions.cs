using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Where state lives. Bound from <c>AzureWebJobsStorage</c> and <c>OnCall:Storage</c>: a connection string, or an
/// identity-based connection given the way the Functions host reads it (<c>AzureWebJobsStorage__accountName</c>, or
/// <c>AzureWebJobsStorage__blobServiceUri</c>, <c>__queueServiceUri</c> and <c>__tableServiceUri</c>).
/// </summary>
public sealed partial class StorageOptions : IValidatableObject
{
    /// <summary>The storage connection string; <c>UseDevelopmentStorage=true</c> for Azurite. When set, it wins.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Identity-based connection: the storage account, whose endpoints are then those of public Azure.</summary>
    public string? AccountName { get; set; }

    /// <summary>Identity-based connection: the Blob endpoint, for any cloud. Wins over <see cref="AccountName"/>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Identity-based connection: the Queue endpoint. Wins over <see cref="AccountName"/>.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Identity-based connection: the Table endpoint. Wins over <see cref="AccountName"/>.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Identity-based connection: a user-assigned managed identity's client id; the system-assigned one when empty.</summary>
    public string? ClientId { get; set; }

    /// <summary>Prefix of every table and container name, so several apps (or tests) can share one account.</summary>
    [RegularExpression("^[a-z][a-z0-9]{0,19}$")]
    public string Prefix { get; set; } = "oncall";

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    public string TableName(string name) => Prefix + name;

    public string ContainerName(string name) => $"{Prefix}-{name.ToLowerInvariant()}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesConnectionString)
        {
            yield break;
        }

        var endpoints = new (string Setting, Uri? Uri)[]
        {
            ("blobServiceUri", BlobServiceUri), ("queueServiceUri", QueueServiceUri), ("tableServiceUri", TableServiceUri),
        };
        var missing = string.IsNullOrWhiteSpace(AccountName) ? endpoints.Where(e => e.Uri is null).Select(e => e.Setting).ToList() : [];
        if (missing.Count == endpoints.Length)
        {
            yield return new ValidationResult(
                "Storage is not configured: set AzureWebJobsStorage to a connection string (UseDevelopmentStorage=true for Azurite), " +
                "or, for an identity-based connection, AzureWebJobsStorage__accountName, or AzureWebJobsStorage__blobServiceUri, " +
                "AzureWebJobsStorage__queueServiceUri and AzureWebJobsStorage__tableServiceUri.",
                [nameof(ConnectionString)]);
            yield break;
        }

        if (missing.Count > 0)
        {
            yield return new ValidationResult(
                $"The identity-based storage connection lacks {string.Join(" and ", missing.Select(m => "AzureWebJobsStorage__" + m))}: " +
                "this app uses blobs, queues and tables; set every service URI, or AzureWebJobsStorage__accountName.",
                [nameof(ConnectionString)]);
        }

        if (!string.IsNullOrWhiteSpace(AccountName) && !AccountNamePattern().IsMatch(AccountName))
        {
            yield return new ValidationResult(
                $"AzureWebJobsStorage__accountName '{AccountName}' is not a storage account name (3 to 24 lowercase letters and digits).",
                [nameof(AccountName)]);
        }

        foreach (var (setting, uri) in endpoints)
        {
            if (uri is not null && !(uri.IsAbsoluteUri && uri.Scheme == Uri.UriSchemeHttps))
            {
                // Entra tokens are only sent over TLS.
                yield return new ValidationResult(
                    $"AzureWebJobsStorage__{setting} '{uri}' must be an absolute https URI.",
                    [nameof(ConnectionString)]);
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountNamePattern();
}
