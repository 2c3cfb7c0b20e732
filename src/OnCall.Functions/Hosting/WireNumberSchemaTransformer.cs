using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OnCall.Functions.Hosting;

/// <summary>
/// Numbers are numbers on the wire. The web JSON defaults would read "42" as 42, so the generator offers a string
/// alternative with a digits pattern; no body the app reads has a number, and every answer writes numbers as numbers.
/// </summary>
internal sealed class WireNumberSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0
            && type.HasFlag(JsonSchemaType.String))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }
}
