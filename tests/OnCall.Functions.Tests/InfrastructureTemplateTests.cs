using System.Text.Json;
using System.Text.RegularExpressions;
using OnCall.Functions.Catalogue;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>What infra/ must agree on with the code. scripts/bicep.sh checks that the templates build and lint clean.</summary>
public sealed partial class InfrastructureTemplateTests
{
    [Fact]
    public void SchedulesJson_EveryTimer_HasItsDefaultSchedule()
    {
        // functions.metadata reads each timer's schedule from %OnCall__Schedules__<Function>%; Bicep sets them from this file.
        var schedules = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(RepositoryRoot.File("infra", "schedules.json")))!;

        Assert.Equal(
            FunctionCatalogue.Default.Timers.ToDictionary(t => t.Name, t => t.DefaultSchedule).OrderBy(p => p.Key, StringComparer.Ordinal),
            schedules.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void MainBicep_SecretSettingNames_AreValidAppSettingNames()
    {
        // App Service refuses setting names with anything but letters, digits, '_' and '.'.
        var names = SecretSetting().Matches(File.ReadAllText(RepositoryRoot.File("infra", "main.bicep"))).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("OnCall__AdminKey", names);
        Assert.All(names, n => Assert.Matches("^[A-Za-z0-9_.]+$", n));
    }

    [GeneratedRegex(@"setting: '([^']+)'")]
    private static partial Regex SecretSetting();
}
