using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OnCall.Functions.Hosting;

/// <summary>
/// A member that may be null may also be absent: answers leave null members out (WhenWritingNull), and request
/// bodies read a missing member as null, which the app's own validation then names (400 with errors). The generator
/// marks every constructor parameter required; this keeps only the members that are never null.
/// </summary>
internal sealed class NullableMemberSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var name in required.Where(n => properties.TryGetValue(n, out var property) && IsNullable(property)).ToList())
            {
                required.Remove(name);
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsNullable(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        || (schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) ?? false)
        || (schema.AnyOf?.Any(s => s.Type == JsonSchemaType.Null) ?? false);
}
