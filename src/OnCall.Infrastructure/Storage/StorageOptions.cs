using System.ComponentModel.DataAnnotations;

namespace OnCall.Infrastructure.Storage;

/// <summary>Where state lives. Bound from <c>AzureWebJobsStorage</c> and <c>OnCall:Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>The storage connection string; <c>UseDevelopmentStorage=true</c> for Azurite.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Prefix of every table and container name, so several apps (or tests) can share one account.</summary>
    [RegularExpression("^[a-z][a-z0-9]{0,19}$")]
    public string Prefix { get; set; } = "oncall";

    public string TableName(string name) => Prefix + name;

    public string ContainerName(string name) => $"{Prefix}-{name.ToLowerInvariant()}";
}
