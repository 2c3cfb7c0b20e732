using System.Text.Json;

namespace OnCall.Functions.Http;

/// <summary>
/// Reads request bodies, the one place that does: JSON into a request record, or the raw bytes a webhook's signature
/// is checked over. Every way a body can be wrong becomes a 4xx that names the field.
/// </summary>
public static class RequestBody
{
    public const int MaxBytes = 256 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        Check(request, contentTypeRequired: false);

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

    /// <summary>
    /// The whole body as sent, for a webhook: its signature is checked over these bytes before anything is parsed.
    /// Unlike <see cref="ReadAsync{T}"/>, a body without a JSON content type is refused (415).
    /// </summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Check(request, contentTypeRequired: true);

        // Kestrel stops a body over the limit while it is read (413 through the problem middleware); the host may not.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.Length > MaxBytes ? throw TooLarge() : buffer.ToArray();
    }

    private static void Check(HttpRequest request, bool contentTypeRequired)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        if (!request.HasJsonContentType() && (contentTypeRequired || !string.IsNullOrEmpty(request.ContentType)))
        {
            throw new HttpProblemException(415, "Unsupported media type", "Send application/json.", "Content-Type");
        }
    }

    private static HttpProblemException TooLarge() =>
        new(413, "Request body too large", $"Bodies over {MaxBytes / 1024} KiB are refused.", "body");

    // "$.layers[0].shiftLength" → "layers[0].shiftLength"
    private static string? FieldOf(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
