using Microsoft.Extensions.Configuration.Memory;
using System.Text.Json;

namespace OnCall.Functions.Hosting;

/// <summary>
/// Reads the <c>Values</c> of <c>local.settings.json</c>, the file Core Tools uses, so the standalone app and
/// <c>func start</c> share one settings file. Keys may use <c>__</c> or <c>:</c> as the section separator.
/// </summary>
public static class LocalSettings
{
    public const string FileName = "local.settings.json";

    public static MemoryConfigurationSource Source(string directory) => new() { InitialData = Read(Path.Combine(directory, FileName)) };

    private static Dictionary<string, string?> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(
            File.ReadAllText(path),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return values.EnumerateObject().ToDictionary(
            p => p.Name.Replace("__", ":", StringComparison.Ordinal),
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
    }
}
