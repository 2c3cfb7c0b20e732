using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;

namespace OnCall.Functions.Http;

/// <summary>
/// Standalone mode's key check, as the Functions host does it: the key comes in <c>x-functions-key</c> or
/// <c>?code=</c> (some senders cannot set headers). Reads take the admin or the read-only key, everything else
/// only the admin key; keys are compared in constant time. Under the Functions host the host has already
/// checked the function key.
/// </summary>
public sealed class AccessFilter(Access access, IOptions<OnCallOptions> options) : IEndpointFilter
{
    public const string Header = "x-functions-key";
    public const string QueryParameter = "code";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var settings = options.Value;
        if (settings.UnderFunctionsHost || access == Access.Anonymous)
        {
            return next(context);
        }

        var presented = PresentedKey(context.HttpContext.Request);
        if (Matches(presented, settings.AdminKey))
        {
            return next(context);
        }

        if (Matches(presented, settings.ReadKey))
        {
            return access == Access.Read
                ? next(context)
                : throw new HttpProblemException(403, "Forbidden", "The read-only key cannot change anything; use the admin key.", Header);
        }

        throw new HttpProblemException(
            401,
            "Unauthorized",
            access == Access.Read
                ? $"Send the admin or the read-only key in the {Header} header (or ?{QueryParameter}=)."
                : $"Send the admin key in the {Header} header (or ?{QueryParameter}=).",
            Header);
    }

    private static string? PresentedKey(HttpRequest request) =>
        request.Headers[Header] is { Count: > 0 } header ? header.ToString()
        : request.Query[QueryParameter] is { Count: > 0 } code ? code.ToString()
        : null;

    // Hashing first makes the comparison constant-time whatever the lengths.
    private static bool Matches(string? presented, string? expected) =>
        presented is { Length: > 0 } && expected is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
