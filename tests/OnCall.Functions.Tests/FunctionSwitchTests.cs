using Microsoft.Extensions.Configuration;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;

namespace OnCall.Functions.Tests;

/// <summary>The host's per-function switch, in both spellings app settings can have.</summary>
public sealed class FunctionSwitchTests
{
    [Theory]
    [InlineData("AzureWebJobs.SyncCalendars.Disabled")]
    [InlineData("AzureWebJobs:SyncCalendars:Disabled")]
    public void Configure_DisabledSetting_SwitchesTheTimerOff(string key)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = "true" }).Build();
        var options = new TimerScheduleOptions();

        TimerScheduleOptions.Configure(options, configuration, FunctionCatalogue.Default);

        Assert.Equal(["SyncCalendars"], options.Disabled);
    }

    [Fact]
    public void IsDisabled_LinuxAppSettingNameFromEnvironment_IsRead()
    {
        // On Linux the setting is AzureWebJobs__SyncCalendars__Disabled, which .NET reads with ':' for '__'.
        Environment.SetEnvironmentVariable("ONCALLTEST_AzureWebJobs__PlanHandoffs__Disabled", "true");
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables("ONCALLTEST_").Build();

        Assert.True(FunctionSwitch.IsDisabled(configuration, "PlanHandoffs"));
    }
}
