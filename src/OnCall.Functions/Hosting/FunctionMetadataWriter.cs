using System.Text.Json;
using System.Text.Json.Nodes;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Hosting;

/// <summary>Writes <c>{Function}/function.json</c> for every catalogue entry: what the Functions host reads to index the app.</summary>
public static class FunctionMetadataWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(FunctionCatalogue catalogue, string outputDirectory)
    {
        foreach (var function in catalogue.All)
        {
            var folder = Path.Combine(outputDirectory, function.Name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "function.json"), ToJson(function).ToJsonString(Indented) + "\n");
        }
    }

    public static JsonObject ToJson(FunctionDefinition function) => new()
    {
        ["bindings"] = function switch
        {
            HttpFunction http => new JsonArray(
                new JsonObject
                {
                    ["type"] = "httpTrigger",
                    ["direction"] = "in",
                    ["name"] = "req",
                    ["authLevel"] = http.AuthLevel,
                    ["methods"] = new JsonArray([.. http.Methods.Select(m => JsonValue.Create(m.ToLowerInvariant()))]),
                    ["route"] = http.Route,
                },
                new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
            TimerFunction timer => new JsonArray(
                new JsonObject
                {
                    ["type"] = "timerTrigger",
                    ["direction"] = "in",
                    ["name"] = "timer",
                    ["schedule"] = $"%{timer.ScheduleAppSetting}%",
                }),
            QueueFunction queue => new JsonArray(
                new JsonObject
                {
                    ["type"] = "queueTrigger",
                    ["direction"] = "in",
                    ["name"] = QueueFunction.BindingName,
                    ["queueName"] = queue.QueueNameExpression,
                    ["connection"] = "AzureWebJobsStorage",
                }),
            _ => throw new NotSupportedException($"No function.json shape for {function.GetType().Name}."),
        },
    };
}
