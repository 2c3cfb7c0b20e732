using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OnCall.Functions.Hosting;

namespace OnCall.Functions.Http;

/// <summary>
/// Standalone mode's check on writes: <c>x-functions-key</c> must equal <c>OnCall:AdminKey</c>, compared in
/// constant time. Under the Functions host the host has already checked the function key.
/// </summary>
public sealed class AdminKeyFilter(IOptions<OnCallOptions> options) : IEndpointFilter
{
    public const string Header = "x-functions-key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var settings = options.Value;
        if (!settings.UnderFunctionsHost && !Matches(context.HttpContext.Request.Headers[Header].ToString(), settings.AdminKey))
        {
            throw new HttpProblemException(401, "Unauthorized", $"Send the admin key in the {Header} header.", Header);
        }

        return next(context);
    }

    private static bool Matches(string presented, string? expected) =>
        expected is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
