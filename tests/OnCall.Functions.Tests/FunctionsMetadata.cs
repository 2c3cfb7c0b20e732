using System.Reflection;
using System.Text.Json;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>One function of the <c>functions.metadata</c> the Functions Worker SDK writes at build: what the host indexes.</summary>
public sealed record FunctionMetadata(string Name, string ScriptFile, string EntryPoint, string Language, IReadOnlyList<BindingMetadata> Bindings)
{
    public BindingMetadata Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));
}

public sealed record BindingMetadata(
    string Name,
    string Type,
    string Direction,
    string? AuthLevel = null,
    IReadOnlyList<string>? Methods = null,
    string? Route = null,
    string? Schedule = null,
    string? QueueName = null,
    string? Connection = null);

public static class FunctionsMetadata
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The build output's own file (the SDK writes it beside OnCall.Functions.dll), for this test run's configuration.</summary>
    public static string BuildOutputFile
    {
        get
        {
            var configuration = typeof(FunctionsMetadata).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            return RepositoryRoot.File("src", "OnCall.Functions", "bin", configuration, "net10.0", "functions.metadata");
        }
    }

    public static IReadOnlyList<FunctionMetadata> Read(string? file = null) =>
        JsonSerializer.Deserialize<List<FunctionMetadata>>(File.ReadAllText(file ?? BuildOutputFile), Json)!;
}
