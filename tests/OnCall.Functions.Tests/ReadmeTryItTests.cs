using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>
/// README's "Try it", pasted into bash as a newcomer would: in a checkout whose local.settings.json run-local.sh's
/// own function wrote, against the app started with those settings, the sample rotations loaded and the handoffs
/// planned as run-local.sh does, under <c>set -euo pipefail</c>, so any command that fails fails the test.
/// </summary>
[Collection(StorageTests.Collection)]
public sealed partial class ReadmeTryItTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DirectoryInfo _checkout = Directory.CreateTempSubdirectory("oncall-tryit-");

    [GeneratedRegex("^## Try it\\n(?<section>.*?)^## ", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex TryItSection();

    [GeneratedRegex("^```bash\\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex BashBlock();

    [Fact]
    public async Task TryIt_FreshStart_EveryCommandSucceeds()
    {
        var values = await RunLocalCheckoutAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: AppSettings(values));
        await LoadSamplesAndPlanHandoffsAsync(app, values["OnCall__AdminKey"]!.GetValue<string>());

        var result = await Bash.RunAsync(
            "set -euo pipefail\n" + string.Join("\n", TryItBlocks()),
            _checkout.FullName,
            new Dictionary<string, string> { ["ONCALL_URL"] = app.BaseAddress.GetLeftPart(UriPartial.Authority) });

        Assert.True(result.ExitCode == 0, $"README's Try it failed:\n{result}");
    }

    public void Dispose() => _checkout.Delete(recursive: true);

    /// <summary>Every bash block of the section, as written.</summary>
    private static List<string> TryItBlocks()
    {
        var readme = File.ReadAllText(RepositoryRoot.File("README.md")).ReplaceLineEndings("\n");
        var section = TryItSection().Match(readme);
        Assert.True(section.Success, "README has no \"## Try it\" section");
        var blocks = BashBlock().Matches(section.Groups["section"].Value).Select(m => m.Groups["code"].Value).ToList();
        Assert.NotEmpty(blocks);
        return blocks;
    }

    /// <summary>A checkout as run-local.sh leaves it: the samples, and local.settings.json written by its function.</summary>
    private async Task<JsonObject> RunLocalCheckoutAsync()
    {
        CopyDirectory(RepositoryRoot.File("samples"), Path.Combine(_checkout.FullName, "samples"));
        var result = await Bash.RunAsync(
            $"set -euo pipefail\nsource '{RepositoryRoot.File("scripts", "lib.sh")}'\nwrite_local_settings '{RepositoryRoot.File("local.settings.sample.json")}' local.settings.json\n",
            _checkout.FullName);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(File.ReadAllText(Path.Combine(_checkout.FullName, "local.settings.json")))!["Values"]!.AsObject();
    }

    /// <summary>
    /// The keys, webhook secrets and default rotation of that file (the storage prefix stays the test's own); timers
    /// off, so a scheduled run never meets the test's.
    /// </summary>
    private static Dictionary<string, string> AppSettings(JsonObject values)
    {
        string[] names =
        [
            "OnCall__AdminKey", "OnCall__ReadKey", "OnCall__WebhookSecrets__Generic", "OnCall__WebhookSecrets__Alertmanager",
            "OnCall__WebhookSecrets__AzureMonitor", "OnCall__WebhookSecrets__Grafana", "OnCall__Incidents__DefaultRotation",
        ];
        var settings = names.ToDictionary(name => name.Replace("__", ":", StringComparison.Ordinal), name => values[name]!.GetValue<string>());
        foreach (var timer in new[] { "PlanHandoffs", "FlagMissedHandoffs", "SyncCalendars", "PruneFeedLedger", "RemindStatuspageOpen" })
        {
            settings[$"AzureWebJobs.{timer}.Disabled"] = "true";
        }

        return settings;
    }

    /// <summary>What run-local.sh does once the app answers: each sample rotation created, then PlanHandoffs run.</summary>
    private async Task LoadSamplesAndPlanHandoffsAsync(TestApp app, string adminKey)
    {
        using var admin = new HttpClient { BaseAddress = app.BaseAddress };
        admin.DefaultRequestHeaders.Add("x-functions-key", adminKey);
        foreach (var file in Directory.GetFiles(Path.Combine(_checkout.FullName, "samples", "rotations"), "*.json"))
        {
            var rotation = JsonNode.Parse(File.ReadAllText(file))!;
            using var created = await admin.PutAsync($"/api/rotations/{rotation["id"]}", Api.Json(rotation));
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"{file}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        using var planned = await admin.PostAsync("/api/ops/run/PlanHandoffs", null);
        Assert.True(planned.IsSuccessStatusCode, $"PlanHandoffs: {(int)planned.StatusCode} {await planned.Content.ReadAsStringAsync()}");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
