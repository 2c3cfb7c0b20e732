using System.Text.Json;

namespace OnCall.Functions.Http;

/// <summary>Reads JSON bodies, turning every way they can be wrong into a 4xx that names the field.</summary>
public static class RequestBody
{
    public const int MaxBytes = 256 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken = default)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new HttpProblemException(413, "Request body too large", $"Bodies over {MaxBytes / 1024} KiB are refused.", "body");
        }

        if (request.HasJsonContentType() is false && !string.IsNullOrEmpty(request.ContentType))
        {
            throw new HttpProblemException(415, "Unsupported media type", "Send application/json.", "Content-Type");
        }

        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, cancellationToken);
        }
        catch (JsonException exception)
        {
            var field = FieldOf(exception.Path);
            throw new HttpProblemException(
                400,
                "Invalid JSON",
                $"The body is not valid JSON of the expected shape (at {field ?? "the top level"}).",
                field ?? "body");
        }

        return value ?? throw new HttpProblemException(400, "Invalid request", "A JSON body is required.", "body");
    }

    // "$.layers[0].shiftLength" → "layers[0].shiftLength"
    private static string? FieldOf(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
