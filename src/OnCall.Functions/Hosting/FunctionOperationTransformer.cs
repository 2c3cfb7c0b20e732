using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using OnCall.Functions.Http;

namespace OnCall.Functions.Hosting;

/// <summary>
/// Completes each function's operation from what its attributes declare and what every route shares: its id and tag,
/// its path and query parameters, the keys or secret it takes, its JSON body, and the problems any route can answer
/// (a bad path, a missing or read-only key, a body too large or not JSON, storage down, an internal error).
/// </summary>
internal sealed partial class FunctionOperationTransformer : IOpenApiOperationTransformer
{
    private const string ProblemSchema = nameof(ProblemResponse);

    public async Task TransformAsync(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<MethodInfo>().FirstOrDefault() is not { } method
            || method.GetCustomAttribute<FunctionAttribute>() is not { } function)
        {
            return;
        }

        var httpMethod = context.Description.HttpMethod ?? HttpMethods.Get;
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;
        var methods = trigger.Methods ?? [];
        var head = HttpMethods.IsHead(httpMethod);
        operation.OperationId = head || methods.Count(m => !HttpMethods.IsHead(m)) > 1
            ? function.Name + CultureInfo.InvariantCulture.TextInfo.ToTitleCase(httpMethod.ToLowerInvariant())
            : function.Name;
        // Declared beside the function; they win over the XML comments the generator also reads.
        operation.Summary = method.GetCustomAttribute<EndpointSummaryAttribute>()?.Summary ?? operation.Summary;
        operation.Description = method.GetCustomAttribute<EndpointDescriptionAttribute>()?.Description ?? operation.Description;
        operation.Tags = new HashSet<OpenApiTagReference> { new(OnCallDocumentTransformer.TagOf(method.DeclaringType!), context.Document) };

        operation.Parameters ??= [];
        foreach (Match parameter in RouteParameter().Matches(context.Description.RelativePath ?? ""))
        {
            var name = parameter.Groups["name"].Value;
            var description = PathParameterDescription(context.Description.RelativePath!, name);
            operation.Parameters.Add(Parameter(name, ParameterLocation.Path, description, required: true));
        }

        foreach (var query in method.GetCustomAttributes<QueryAttribute>())
        {
            operation.Parameters.Add(Parameter(query.Name, ParameterLocation.Query, query.Description, query.Required));
        }

        var access = method.GetCustomAttribute<ApiKeyAttribute>()?.Access ?? Access.Anonymous;
        var webhook = method.GetCustomAttribute<WebhookSecretAttribute>() is not null;
        operation.Security = [.. OnCallDocumentTransformer.Security(access, webhook, context.Document!)];

        // The generator describes the body from JsonBodyAttribute, without a content type: it is JSON.
        var body = method.GetCustomAttribute<JsonBodyAttribute>();
        if (body is not null && !head && operation.RequestBody?.Content is not { Count: > 0 })
        {
            await context.GetOrCreateSchemaAsync(body.RequestType, cancellationToken: cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [JsonBodyAttribute.ContentType] = new()
                    {
                        Schema = new OpenApiSchemaReference(body.RequestType.Name, context.Document),
                    },
                },
            };
        }
        else if (head)
        {
            operation.RequestBody = null;
        }

        foreach (var (status, description) in method.GetCustomAttributes<AnswersAttribute>().Select(a => (a.StatusCode, a.Description))
            .Concat(method.GetCustomAttributes<ProblemAttribute>().Select(a => (a.StatusCode, a.Description))))
        {
            if (operation.Responses?.GetValueOrDefault(status.ToString(CultureInfo.InvariantCulture)) is OpenApiResponse response)
            {
                response.Description = description;
            }
        }

        AddCommonProblems(operation, context.Document!, access, webhook, body is not null || webhook);
        operation.Responses = Ordered(operation.Responses!, head);
        if (head)
        {
            operation.Summary = $"Headers only: {operation.Summary}";
            operation.Description =
                $"As {HttpMethods.Get}, with the same status and headers and no body (calendar clients and uptime probes send it).";
        }
    }

    private static void AddCommonProblems(OpenApiOperation operation, OpenApiDocument document, Access access, bool webhook, bool readsBody)
    {
        AddProblem(operation, document, 400, readsBody
            ? "The path has a dot segment or an encoded slash (field path), or the body is not valid JSON of the expected shape; "
                + "errors lists every invalid field."
            : "The path has a dot segment or an encoded slash, in any encoding (field path).");
        if (access != Access.Anonymous || webhook)
        {
            AddProblem(operation, document, 401, webhook
                ? "No valid webhook secret: Bearer token, X-OnCall-Signature (with X-OnCall-Timestamp within five minutes) or ?code=."
                : access == Access.Read
                    ? "No admin or read-only key in x-functions-key (or ?code=)."
                    : "No admin key in x-functions-key (or ?code=).");
        }

        if (access == Access.Admin)
        {
            AddProblem(operation, document, 403, "The read-only key cannot change anything; use the admin key.");
        }

        if (readsBody)
        {
            AddProblem(operation, document, 413, $"The body is over {RequestBody.MaxBytes / 1024} KiB.");
            AddProblem(operation, document, 415, "The body is not application/json.");
        }

        AddProblem(operation, document, 500, "Something went wrong on our side; it has been logged.");
        AddProblem(operation, document, 503, "The storage account did not answer; retry after Retry-After seconds.");
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int status, string description)
    {
        operation.Responses ??= [];
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(key, out var response) || response is not OpenApiResponse existing)
        {
            existing = new OpenApiResponse { Description = description };
            operation.Responses[key] = existing;
        }
        else if (!existing.Content?.ContainsKey(ProblemAttribute.ContentType) ?? true)
        {
            existing.Description = $"{existing.Description} Or: {description}";
        }

        existing.Content ??= new Dictionary<string, OpenApiMediaType>();
        var problem = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) };
        existing.Content.TryAdd(ProblemAttribute.ContentType, problem);
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            existing.Headers ??= new Dictionary<string, IOpenApiHeader>();
            existing.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before trying again.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
            };
        }
    }

    // Ordered by status; a HEAD answer has no body.
    private static OpenApiResponses Ordered(OpenApiResponses responses, bool head)
    {
        var ordered = new OpenApiResponses();
        foreach (var (status, response) in responses.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (head && response is OpenApiResponse concrete)
            {
                concrete.Content = null;
            }

            ordered[status] = response;
        }

        return ordered;
    }

    private static OpenApiParameter Parameter(string name, ParameterLocation location, string description, bool required) => new()
    {
        Name = name,
        In = location,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static string PathParameterDescription(string route, string name) => name switch
    {
        "overrideId" => "The override's id.",
        "timeOffId" => "The time off's id.",
        "function" => "A timer function's name, e.g. SyncCalendars.",
        "queue" => "A queue function's name (ProcessIncidentEvent) or its queue's (incident-events).",
        "asset" => "A file of the page: index.html (the default, also at /api/page), page.js or page.css.",
        _ => route.Split('/')[1] switch
        {
            "rotations" => "The rotation's id.",
            "swaps" => "The swap request's id.",
            "handoffs" => "The handoff's id.",
            "incidents" => "The incident's id.",
            _ => $"The {name}.",
        },
    };

    [GeneratedRegex(@"\{(?<name>\w+)\??\}")]
    private static partial Regex RouteParameter();
}
