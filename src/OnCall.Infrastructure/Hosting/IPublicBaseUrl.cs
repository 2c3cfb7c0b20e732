namespace OnCall.Infrastructure.Hosting;

/// <summary>
/// Where people and calendar apps reach the app (<c>OnCall:PublicBaseUrl</c>). Every link the app hands out (feed
/// URLs, signed acknowledge links) starts here, never at a request's <c>Host</c> or <c>X-Forwarded-*</c> headers:
/// behind the Functions host those name the worker's own loopback address, and a client can forge them.
/// </summary>
public interface IPublicBaseUrl
{
    /// <summary>An absolute http(s) URL ending in <c>/</c>.</summary>
    Uri Value { get; }
}
