using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace OnCall.Functions.Http;

/// <summary>
/// The OpenAPI document of this API: <c>docs/openapi.json</c>, embedded in the executable, so both hosting modes serve
/// the same one (under the Functions host there are no endpoints to generate it from). Anonymous: it holds no data.
/// </summary>
public sealed class OpenApiFunctions(HttpEdge edge)
{
    public const string Resource = "openapi.json";

    private static readonly Lazy<(byte[] Content, string ETag)> Document = new(Load);

    [Function(nameof(OpenApiDocument))]
    [EndpointSummary("The OpenAPI 3.1 document of this API")]
    [EndpointDescription("docs/openapi.json, generated from the functions' declarations; linted with Redocly's recommended rules.")]
    [Answers(200, typeof(JsonObject), "The document.")]
    [Answers(304, typeof(void), "The document has not changed since the ETag sent in If-None-Match.")]
    public Task<IActionResult> OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "openapi.json")] HttpRequest request) =>
        edge.RunAsync(request, Access.Anonymous, () =>
        {
            var (content, etag) = Document.Value;
            var headers = request.HttpContext.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.ETag = etag;
            return request.Headers.IfNoneMatch == etag
                ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                : TypedResults.Bytes(content, "application/json");
        });

    private static (byte[] Content, string ETag) Load()
    {
        using var stream = typeof(OpenApiFunctions).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The {Resource} resource is not embedded.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        return (content, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
    }
}
