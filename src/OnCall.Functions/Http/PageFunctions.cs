using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace OnCall.Functions.Http;

/// <summary>
/// The page for people (<c>Page/</c>, embedded in the executable) at <c>/api/page</c>, and at <c>/</c> standalone.
/// Anonymous: the page and its script hold no data; they read the API with the key the viewer enters.
/// </summary>
public sealed class PageFunctions(HttpEdge edge)
{
    private const string Index = "index.html";

    // Strict: only our own files run, nothing is framed, and the address (which may hold ?key=) is never sent as a referrer.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; "
        + "base-uri 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, PageAsset> Assets = Load();

    [Function(nameof(Page))]
    [EndpointSummary("The page for people")]
    [Answers(200, typeof(string), "The file.", "text/html", "text/css", "text/javascript")]
    [Answers(304, typeof(void), "Unchanged since the ETag in If-None-Match.")]
    [Problem(404, "The page has no such file (field asset).")]
    public Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "page/{asset?}")] HttpRequest request,
        string? asset) =>
        edge.RunAsync(request, Access.Anonymous, () => Serve(asset ?? Index, request.HttpContext));

    /// <summary>Standalone, the app's own address opens the page (under the Functions host, '/' belongs to the host).</summary>
    public static IResult ServeIndex(HttpContext context) => Serve(Index, context);

    private static IResult Serve(string name, HttpContext context)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            throw new HttpProblemException(404, "Not found", $"The page has no file '{name}'.", "asset");
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, PageAsset> Load()
    {
        var assembly = typeof(PageFunctions).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Page/", StringComparison.Ordinal))
            .ToFrozenDictionary(n => n["Page/".Length..], n => PageAsset.Read(assembly, n), StringComparer.Ordinal);
    }

    private sealed record PageAsset(byte[] Content, string ContentType, string ETag)
    {
        public static PageAsset Read(Assembly assembly, string resource)
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var contentType = Path.GetExtension(resource) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                _ => "application/octet-stream",
            };
            return new PageAsset(content, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }
    }
}
