using Microsoft.AspNetCore.Http.Metadata;

namespace OnCall.Functions.Http;

// What the OpenAPI document says about an HTTP function, declared beside it on its [Function] method. The catalogue
// hands a function's attributes to its standalone endpoint as metadata, where the OpenAPI generator reads them
// (Hosting/OpenApiExtensions.cs adds what every route shares: path parameters, keys, the common problems).

/// <summary>The key the function's <see cref="HttpEdge"/> call asks for; without this attribute it takes none.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiKeyAttribute(Access access) : Attribute
{
    public Access Access { get; } = access;
}

/// <summary>An incident webhook: its source's secret (Bearer, HMAC signature or <c>?code=</c>, see <see cref="WebhookAuth"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WebhookSecretAttribute : Attribute;

/// <summary>
/// The JSON body the function reads. No content types on purpose: routing would match on them standalone (and not
/// under the host), while the function checks <c>Content-Type</c> itself, the same in both modes.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class JsonBodyAttribute(Type type) : Attribute, IAcceptsMetadata
{
    public const string ContentType = "application/json";

    public Type RequestType { get; } = type;

    public bool IsOptional => false;

    IReadOnlyList<string> IAcceptsMetadata.ContentTypes => [];

    Type? IAcceptsMetadata.RequestType => RequestType;
}

/// <summary>A query parameter the function reads (all are strings on the wire).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class QueryAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public bool Required { get; init; }
}

/// <summary>An <c>application/problem+json</c> answer particular to this function (<see cref="ProblemMiddleware"/> writes all).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProblemAttribute(int statusCode, string description) : Attribute, IProducesResponseTypeMetadata
{
    public const string ContentType = "application/problem+json";

    public int StatusCode { get; } = statusCode;

    public string Description { get; } = description;

    public Type Type => typeof(ProblemResponse);

    public IEnumerable<string> ContentTypes => [ContentType];
}

/// <summary>A successful or HTML answer: status, body type (<see langword="void"/>: none), meaning, content types (default JSON).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class AnswersAttribute(int statusCode, Type type, string description, params string[] contentTypes)
    : Attribute, IProducesResponseTypeMetadata
{
    public int StatusCode { get; } = statusCode;

    public Type Type { get; } = type;

    public string Description { get; } = description;

    public IEnumerable<string> ContentTypes => Type == typeof(void) ? [] : contentTypes.Length > 0 ? contentTypes : ["application/json"];
}
