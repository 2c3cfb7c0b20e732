using System.ComponentModel.DataAnnotations;

namespace OnCall.Functions.Hosting;

/// <summary>Bound from <c>OnCall</c>.</summary>
public sealed class OnCallOptions : IValidatableObject
{
    public const string Section = "OnCall";

    /// <summary>Standalone mode's key for writes and reads, sent as <c>x-functions-key</c>. Under the Functions host, function keys apply instead.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Optional read-only key (a dashboard, a wall display, a chat bot): every GET, no write.</summary>
    public string? ReadKey { get; set; }

    /// <summary>Set from the hosting mode, not from configuration.</summary>
    internal bool UnderFunctionsHost { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UnderFunctionsHost && (AdminKey is null || AdminKey.Length < 16))
        {
            yield return new ValidationResult(
                "OnCall:AdminKey must be set to a secret of at least 16 characters in standalone mode (scripts/run-local.sh makes one).",
                [nameof(AdminKey)]);
        }

        if (!string.IsNullOrEmpty(ReadKey) && (ReadKey.Length < 16 || ReadKey == AdminKey))
        {
            yield return new ValidationResult("OnCall:ReadKey must be at least 16 characters and differ from OnCall:AdminKey.", [nameof(ReadKey)]);
        }
    }
}
