using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodaTime;

namespace OnCall.Functions.Hosting;

/// <summary>An <see cref="Instant"/> is written by its converter as an ISO-8601 UTC string (2026-11-02T15:00:00Z).</summary>
internal sealed class WireInstantSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(Instant))
        {
            schema.Type = JsonSchemaType.String;
            schema.Format = "date-time";
            schema.Description = "An instant, ISO-8601 in UTC: 2026-11-02T15:00:00Z.";
        }

        return Task.CompletedTask;
    }
}
