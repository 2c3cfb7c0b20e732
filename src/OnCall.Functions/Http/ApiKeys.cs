using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OnCall.Functions.Hosting;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Functions.Http;

/// <summary>
/// Who may call an HTTP function: <see cref="Read"/> takes the admin or the read-only key, <see cref="Admin"/> only the
/// admin key.
/// </summary>
public enum Access
{
    Anonymous,
    Read,
    Admin,
}

/// <summary>
/// The app's own key check, the same under the Functions host (where every HTTP function is anonymous) and
/// standalone: the key comes in <c>x-functions-key</c> or <c>?code=</c> (some senders cannot set headers). Reads
/// take the admin or the read-only key, everything else only the admin key; keys are compared in constant time.
/// </summary>
public sealed class ApiKeys(IOptions<OnCallOptions> options)
{
    public const string Header = "x-functions-key";
    public const string QueryParameter = "code";

    public void Require(HttpRequest request, Access access)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (access == Access.Anonymous)
        {
            return;
        }

        var settings = options.Value;
        var presented = PresentedKey(request);
        if (Matches(presented, settings.AdminKey))
        {
            return;
        }

        if (Matches(presented, settings.ReadKey))
        {
            if (access == Access.Read)
            {
                return;
            }

            throw new HttpProblemException(403, "Forbidden", "The read-only key cannot change anything; use the admin key.", Header);
        }

        throw new HttpProblemException(
            401,
            "Unauthorized",
            access == Access.Read
                ? $"Send the admin or the read-only key in the {Header} header (or ?{QueryParameter}=)."
                : $"Send the admin key in the {Header} header (or ?{QueryParameter}=).",
            Header);
    }

    /// <summary>
    /// What the presented key allows: <see cref="Access.Admin"/>, <see cref="Access.Read"/>, or nothing (<see
    /// cref="Access.Anonymous"/>).
    /// </summary>
    public Access Granted(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var presented = PresentedKey(request);
        return Matches(presented, options.Value.AdminKey) ? Access.Admin
            : Matches(presented, options.Value.ReadKey) ? Access.Read
            : Access.Anonymous;
    }

    private static string? PresentedKey(HttpRequest request) =>
        request.Headers[Header] is { Count: > 0 } header ? header.ToString()
        : request.Query[QueryParameter] is { Count: > 0 } code ? code.ToString()
        : null;

    // Hashing first makes the comparison constant-time whatever the lengths.
    private static bool Matches(string? presented, string? expected) =>
        presented is { Length: > 0 } && KeyVaultReference.SecretOrNull(expected) is { } secret
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
