using System.Text.Json.Nodes;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.OpenApi;

/// <summary>
/// docs/openapi.json is what Microsoft.AspNetCore.OpenApi generates from the standalone app's endpoints now. With
/// ONCALL_WRITE_OPENAPI=1 (scripts/openapi.sh) the test writes the generated document instead of failing.
/// </summary>
[Collection(StorageTests.Collection)]
public sealed class OpenApiDocumentTests(AzuriteFixture azurite)
{
    public const string RegenerateCommand = "bash scripts/openapi.sh";

    private static readonly string[] SharedProblems = ["400", "500", "503"];
    private static readonly string[] ProblemMembers = ["type", "title", "status", "detail", "field", "errors", "moreErrors"];

    [Fact]
    public async Task CommittedDocument_Generated_IsTheSame()
    {
        var generated = await GenerateAsync();
        var file = RepositoryRoot.File("docs", "openapi.json");
        if (Environment.GetEnvironmentVariable("ONCALL_WRITE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(file, generated);
        }

        var committed = (await File.ReadAllTextAsync(file)).ReplaceLineEndings("\n");

        Assert.True(committed == generated, $"docs/openapi.json is stale: run `{RegenerateCommand}` and commit docs/openapi.json.");
    }

    [Fact]
    public async Task Document_EveryHttpFunction_IsAnOperation()
    {
        var paths = JsonNode.Parse(await GenerateAsync())!["paths"]!.AsObject();

        Assert.All(FunctionCatalogue.Default.Http, function => Assert.All(function.Methods, method =>
        {
            var path = function.Path.Replace("?}", "}", StringComparison.Ordinal);
            Assert.True(paths[path]?[method.ToLowerInvariant()] is JsonObject, $"{method} {path} ({function.Name}) is missing");
        }));
        Assert.Equal(
            FunctionCatalogue.Default.Http.Sum(f => f.Methods.Count),
            paths.Sum(p => p.Value!.AsObject().Count(o => o.Key != "parameters")));
    }

    [Fact]
    public async Task Document_EveryOperation_AnswersProblemsWithTheSharedSchema()
    {
        var document = JsonNode.Parse(await GenerateAsync())!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!)));

        Assert.All(operations, o => Assert.All(SharedProblems, status => Assert.True(
            o.Operation["responses"]?[status] is JsonObject,
            $"{o.Method} {o.Path} does not list {status}")));
        var problem = document["components"]!["schemas"]!["ProblemResponse"]!["properties"]!.AsObject();
        Assert.All(
            ProblemMembers,
            member => Assert.True(problem.ContainsKey(member), member));
    }

    /// <summary>The document as the running standalone app generates it from its endpoints.</summary>
    private async Task<string> GenerateAsync()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        return await app.App.Services.WriteOpenApiDocumentAsync();
    }
}
