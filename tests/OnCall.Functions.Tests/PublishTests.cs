using System.Diagnostics;
using System.Reflection;
using OnCall.Functions.Catalogue;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

public sealed class PublishTests
{
    [Fact]
    public async Task Publish_Output_IsACustomHandlerFunctionApp()
    {
        var output = Directory.CreateTempSubdirectory("publish-");
        var configuration = typeof(PublishTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

        var (exitCode, log) = await RunAsync("dotnet", "publish", RepositoryRoot.File("src", "OnCall.Functions", "OnCall.Functions.csproj"), "-c", configuration, "--no-build", "-o", output.FullName);

        Assert.True(exitCode == 0, log);
        Assert.True(File.Exists(Path.Combine(output.FullName, "host.json")), "host.json missing");
        Assert.True(File.Exists(Path.Combine(output.FullName, "OnCall.Functions")), "the executable host.json names is missing");
        Assert.All(FunctionCatalogue.Default.All, f => Assert.True(File.Exists(Path.Combine(output.FullName, f.Name, "function.json")), $"{f.Name}/function.json missing"));
        Assert.False(File.Exists(Path.Combine(output.FullName, "local.settings.json")), "local.settings.json holds secrets and must not be published");
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
