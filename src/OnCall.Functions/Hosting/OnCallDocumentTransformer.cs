using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OnCall.Functions.Http;

namespace OnCall.Functions.Hosting;

/// <summary>The document's own parts: its description, servers, tags and the keys and secrets the routes take (no values).</summary>
internal sealed partial class OnCallDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string KeyHeader = "functionsKey";
    private const string KeyQuery = "functionsKeyQuery";
    private const string WebhookBearer = "webhookBearer";
    private const string WebhookSignature = "webhookSignature";
    private const string WebhookTimestamp = "webhookTimestamp";
    private const string WebhookCode = "webhookCode";

    private static readonly Dictionary<string, (string Tag, string Description)> Tags = new(StringComparer.Ordinal)
    {
        [nameof(RotationFunctions)] = ("Rotations", "Rotations, their shifts, who is on call, and overrides."),
        [nameof(TimeOffFunctions)] = ("Time off", "Time off and the coverage problems it makes."),
        [nameof(SwapFunctions)] = ("Swaps", "Shift swap requests, through the API."),
        [nameof(SwapLinkFunctions)] = ("Swap links", "The signed swap links from chat: GET shows an HTML page; its button POSTs."),
        [nameof(HandoffFunctions)] = ("Handoffs", "Handoffs between shifts, and the signed acknowledge link from chat."),
        [nameof(FeedFunctions)] = ("Calendar", "The ICS subscription feed, its token, and the Google Calendar sync."),
        [nameof(IncidentFunctions)] = ("Incidents", "The webhooks (each source's own payload and secret), incidents and their status."),
        [nameof(OperationsFunctions)] = ("Operations", "Health, what a key may do, timers run on demand, and poison messages."),
        [nameof(PageFunctions)] = ("Page", "The page for people, which reads the API with the key the viewer enters."),
        [nameof(OpenApiFunctions)] = ("OpenAPI", "This document."),
    };

    public static string TagOf(Type functions) =>
        Tags.TryGetValue(functions.Name, out var tag) ? tag.Tag
        : throw new InvalidOperationException($"{functions.Name} has no OpenAPI tag.");

    /// <summary>Each alternative the route takes: the key in a header or the query, or a webhook's secret three ways.</summary>
    public static IEnumerable<OpenApiSecurityRequirement> Security(Access access, bool webhook, OpenApiDocument document)
    {
        if (webhook)
        {
            yield return Requirement(document, [], WebhookBearer);
            yield return Requirement(document, [], WebhookSignature, WebhookTimestamp);
            yield return Requirement(document, [], WebhookCode);
        }
        else if (access == Access.Anonymous)
        {
            // Anonymous: an empty requirement.
            yield return [];
        }
        else
        {
            List<string> roles = access == Access.Admin ? ["admin"] : ["read"];
            yield return Requirement(document, roles, KeyHeader);
            yield return Requirement(document, roles, KeyQuery);
        }
    }

    public async Task TransformAsync(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "OnCallFunctions",
            Version = "1",
            Description = """
                On-call rotations, overrides, time off, shift swaps, handoffs, calendar feeds and incidents, as an Azure
                Functions app (or standalone). Every route is under /api. Errors are RFC 7807 application/problem+json
                (ProblemResponse): field names the request field at fault, and an invalid body lists every invalid field
                in errors. An unknown route is a 404 problem, a method the route does not take a 405 problem. The README
                explains each route at length.
                """,
        };
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "https://{host}",
                Description = $"The function app (the Bicep deployment's url output); run-local.sh serves {HostingMode.StandaloneUrl}.",
                Variables = new Dictionary<string, OpenApiServerVariable>(StringComparer.Ordinal)
                {
                    ["host"] = new() { Default = "your-function-app.azurewebsites.net", Description = "The function app's host name." },
                },
            },
        ];
        document.Tags = new HashSet<OpenApiTag>(Tags.Values.Select(t => new OpenApiTag { Name = t.Tag, Description = t.Description }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
        {
            [KeyHeader] = ApiKey(ApiKeys.Header, ParameterLocation.Header, KeyDescription),
            [KeyQuery] = ApiKey(
                ApiKeys.QueryParameter,
                ParameterLocation.Query,
                $"{KeyDescription} The same key as ?code=, for senders that cannot set headers."),
            [WebhookBearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The webhook source's own secret (OnCall__WebhookSecrets__<Source>) as Authorization: Bearer <secret>.",
            },
            [WebhookSignature] = ApiKey(
                WebhookAuth.SignatureHeader,
                ParameterLocation.Header,
                "sha256=<hex HMAC-SHA256 of \"<timestamp>.<body>\" with the source's secret>, sent with X-OnCall-Timestamp."),
            [WebhookTimestamp] = ApiKey(
                WebhookAuth.TimestampHeader,
                ParameterLocation.Header,
                "The Unix time in seconds the signature was made, within five minutes of ours."),
            [WebhookCode] = ApiKey(
                ApiKeys.QueryParameter,
                ParameterLocation.Query,
                "The source's secret as ?code=, for senders that cannot set headers (Azure Monitor action groups)."),
        };

        // Every operation refers to it (FunctionOperationTransformer adds the problems all routes share).
        if (document.Components.Schemas?.ContainsKey(nameof(ProblemResponse)) != true)
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemResponse), cancellationToken: cancellationToken);
            document.AddComponent(nameof(ProblemResponse), schema);
        }

        foreach (var schema in (document.Components.Schemas?.Values ?? []).OfType<OpenApiSchema>())
        {
            schema.Description = Readable(schema.Description);
            foreach (var property in (schema.Properties?.Values ?? []).OfType<OpenApiSchema>())
            {
                property.Description = Readable(property.Description);
            }
        }
    }

    // The XML comments the generator reads render <see cref="P:ShiftResponse.Holdover"/> as "bool ShiftResponse.Holdover"
    // (and escape <>); on the wire that member is "holdover".
    private static string? Readable(string? description) => description is null ? null
        : CrefMember().Replace(WebUtility.HtmlDecode(description), m => JsonNamingPolicy.CamelCase.ConvertName(m.Groups["member"].Value));

    [GeneratedRegex(@"(?:(?:string|bool|int|long|[A-Z]\w*)(?:<[^>]+>)?\??\s)?\b[A-Z]\w*(?:Response|Request)\.(?<member>\w+)")]
    private static partial Regex CrefMember();

    private const string KeyDescription =
        "The admin key (OnCall:AdminKey; role admin, allowed everything) or the read-only key (OnCall:ReadKey; role read, "
        + "allowed reads only). A route asking for role read takes either; one asking for admin answers the read-only key with 403.";

    private static OpenApiSecurityScheme ApiKey(string name, ParameterLocation location, string description) =>
        new() { Type = SecuritySchemeType.ApiKey, Name = name, In = location, Description = description };

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, List<string> roles, params string[] schemes)
    {
        var requirement = new OpenApiSecurityRequirement();
        foreach (var scheme in schemes)
        {
            requirement[new OpenApiSecuritySchemeReference(scheme, document)] = roles;
        }

        return requirement;
    }
}
