using System.ComponentModel.DataAnnotations;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Functions.Hosting;

/// <summary>Bound from <c>OnCall</c>.</summary>
public sealed class OnCallOptions : IValidatableObject
{
    public const string Section = "OnCall";

    /// <summary>The key for writes and reads, sent as <c>x-functions-key</c> (or <c>?code=</c>), in both hosting modes.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Optional read-only key (a dashboard, a wall display, a chat bot): every GET, no write.</summary>
    public string? ReadKey { get; set; }

    /// <summary>
    /// Where the app is reached from outside, e.g. <c>https://oncall-xyz.azurewebsites.net</c>: every link it hands out
    /// starts here. Required under the Functions host; standalone it defaults to the address the app listens on.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Set from the hosting mode, not from configuration.</summary>
    internal bool UnderFunctionsHost { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AdminKey is null || AdminKey.Length < 16 || KeyVaultReference.IsUnresolved(AdminKey))
        {
            yield return new ValidationResult(
                "OnCall:AdminKey must be set to a secret of at least 16 characters, not an unresolved Key Vault reference "
                + "(scripts/run-local.sh makes one; the Bicep keeps one in Key Vault).",
                [nameof(AdminKey)]);
        }

        if (!string.IsNullOrEmpty(ReadKey) && (ReadKey.Length < 16 || ReadKey == AdminKey))
        {
            yield return new ValidationResult(
                "OnCall:ReadKey must be at least 16 characters and differ from OnCall:AdminKey.",
                [nameof(ReadKey)]);
        }

        if (!string.IsNullOrEmpty(PublicBaseUrl)
            && !(Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url)
                && url.Scheme is "http" or "https"
                && string.IsNullOrEmpty(url.Query)))
        {
            yield return new ValidationResult(
                "OnCall:PublicBaseUrl must be an absolute http(s) URL without a query, e.g. https://oncall.example.com.",
                [nameof(PublicBaseUrl)]);
        }
        else if (string.IsNullOrEmpty(PublicBaseUrl) && UnderFunctionsHost)
        {
            yield return new ValidationResult(
                "OnCall:PublicBaseUrl must be set under the Functions host (e.g. https://<app>.azurewebsites.net): links "
                + "cannot come from the host's proxied request.",
                [nameof(PublicBaseUrl)]);
        }
    }
}
