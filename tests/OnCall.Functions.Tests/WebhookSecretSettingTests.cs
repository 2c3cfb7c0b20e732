using System.Text.Json.Nodes;
using OnCall.Functions.Http;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>One spelling of the webhook secrets' setting names: the code's (and its error message's), the sample settings' and the README's.</summary>
public sealed class WebhookSecretSettingTests
{
    public static TheoryData<string> Sources => [AlertPayloads.Generic, AlertPayloads.Alertmanager, AlertPayloads.AzureMonitor, AlertPayloads.Grafana];

    [Theory]
    [MemberData(nameof(Sources))]
    public void SettingKey_EachSource_IsSpelledAsInTheSampleSettings(string source)
    {
        var sample = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("local.settings.sample.json")))!["Values"]!.AsObject();

        Assert.Contains($"OnCall__WebhookSecrets__{WebhookAuth.SettingKey(source)}", sample.Select(p => p.Key));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void SettingKey_EachSource_IsSpelledAsInTheReadme(string source)
    {
        var readme = File.ReadAllText(RepositoryRoot.File("README.md"));

        Assert.Contains($"OnCall__WebhookSecrets__{WebhookAuth.SettingKey(source)}", readme, StringComparison.Ordinal);
    }
}
