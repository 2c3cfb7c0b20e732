using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>The local.settings.json that scripts/run-local.sh writes (its write_local_settings in scripts/lib.sh).</summary>
public sealed class RunLocalSettingsTests : IDisposable
{
    private static readonly string[] Secrets =
    [
        "OnCall__AdminKey", "OnCall__ReadKey", "OnCall__WebhookSecrets__Generic", "OnCall__WebhookSecrets__Alertmanager",
        "OnCall__WebhookSecrets__AzureMonitor", "OnCall__WebhookSecrets__Grafana",
    ];

    private readonly DirectoryInfo _checkout = Directory.CreateTempSubdirectory("oncall-settings-");

    [Fact]
    public async Task WriteLocalSettings_NoFile_GivesEveryKeyAndWebhookSecretItsOwnRandomValue()
    {
        var values = await WriteAsync();

        var written = Secrets.Select(name => values[name]?.GetValue<string>() ?? "").ToList();
        Assert.All(written, value => Assert.True(value.Length >= 32 && !value.StartsWith("replace-with", StringComparison.Ordinal), $"'{value}' is not a fresh secret"));
        Assert.Equal(Secrets.Length, written.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task WriteLocalSettings_ExistingFile_KeepsValuesAlreadySetAndFillsEmptyOnes()
    {
        var existing = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("local.settings.sample.json")))!;
        existing["Values"]!["OnCall__AdminKey"] = "an-admin-key-someone-chose";
        existing["Values"]!["OnCall__WebhookSecrets__Grafana"] = "";
        File.WriteAllText(Path.Combine(_checkout.FullName, "local.settings.json"), existing.ToJsonString());

        var values = await WriteAsync();

        Assert.Equal(
            ("an-admin-key-someone-chose", true),
            (values["OnCall__AdminKey"]!.GetValue<string>(), values["OnCall__WebhookSecrets__Grafana"]!.GetValue<string>().Length >= 32));
    }

    public void Dispose() => _checkout.Delete(recursive: true);

    private async Task<JsonObject> WriteAsync()
    {
        var result = await Bash.RunAsync(
            $"set -euo pipefail\nsource '{RepositoryRoot.File("scripts", "lib.sh")}'\nwrite_local_settings '{RepositoryRoot.File("local.settings.sample.json")}' local.settings.json\n",
            _checkout.FullName);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(File.ReadAllText(Path.Combine(_checkout.FullName, "local.settings.json")))!["Values"]!.AsObject();
    }
}
