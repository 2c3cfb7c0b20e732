using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;

namespace OnCall.Functions.Http;

/// <summary>The page for people (<c>Page/</c>, embedded in the executable) at <c>/api/page</c>, and at <c>/</c> standalone.</summary>
public static class PageEndpoints
{
    private const string Index = "index.html";

    // Strict: only our own files run, nothing is framed, and the address (which may hold ?key=) is never sent as a referrer.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, PageAsset> Assets = Load();

    public static void MapPageEndpoints(this IEndpointRouteBuilder app, HostingMode mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        app.MapFunction(FunctionCatalogue.Page, (string? asset, HttpContext context) => Serve(asset ?? Index, context));

        // Under the Functions host, '/' belongs to the host; standalone, the app's address opens the page.
        if (!mode.UnderFunctionsHost)
        {
            app.MapGet("/", (HttpContext context) => Serve(Index, context));
        }
    }

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
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, PageAsset> Load()
    {
        var assembly = typeof(PageEndpoints).Assembly;
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
