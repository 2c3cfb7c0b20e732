namespace OnCall.Infrastructure.Hosting;

/// <summary>
/// An app setting that is a Key Vault reference the platform could not resolve (the secret was never set, or the app
/// cannot read it yet) keeps its literal text, <c>@Microsoft.KeyVault(SecretUri=…)</c>. That text names the vault,
/// which is guessable, so a secret setting holding it counts as not set rather than as a secret anyone could send.
/// </summary>
public static class KeyVaultReference
{
    private const string Prefix = "@Microsoft.KeyVault(";

    public static bool IsUnresolved(string? value) =>
        value is not null && value.TrimStart().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The secret, or null when it is empty or an unresolved reference.</summary>
    public static string? SecretOrNull(string? value) => string.IsNullOrEmpty(value) || IsUnresolved(value) ? null : value;
}
