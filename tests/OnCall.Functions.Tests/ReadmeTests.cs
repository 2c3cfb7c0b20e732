using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

public sealed partial class ReadmeTests
{
    [GeneratedRegex("A rotation \\(see `samples/rotations/platform.json`\\):\\s*```json\\s*(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex SampleRotation();

    [Fact]
    public void Readme_SampleRotation_IsTheOneRunLocalLoads()
    {
        var readme = File.ReadAllText(RepositoryRoot.File("README.md"));
        var shown = JsonNode.Parse(SampleRotation().Match(readme).Groups["json"].Value);

        var sample = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("samples", "rotations", "platform.json")));

        Assert.True(JsonNode.DeepEquals(shown, sample), "README's sample rotation differs from samples/rotations/platform.json");
    }
}
