using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Functions.Hosting;

/// <summary>
/// <c>OnCall:PublicBaseUrl</c>, or standalone without it, the first address the app listens on (a wildcard host read
/// as <c>localhost</c>). Never a request's <c>Host</c>: under the host that is the worker's loopback port.
/// </summary>
public sealed class PublicBaseUrl(IOptions<OnCallOptions> options, IServiceProvider services) : IPublicBaseUrl
{
    private Uri? _listening;

    public Uri Value => options.Value.PublicBaseUrl is { Length: > 0 } configured ? WithSlash(configured) : _listening ??= Listening();

    private Uri Listening()
    {
        var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("OnCall:PublicBaseUrl is not set and the app is not listening yet.");
        var builder = new UriBuilder(address
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0" or "[::]")
        {
            builder.Host = "localhost";
        }

        return WithSlash(builder.Uri.ToString());
    }

    private static Uri WithSlash(string url) => new(url.EndsWith('/') ? url : url + "/");
}
