using System.Diagnostics;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>
/// A real Prometheus Alertmanager (Debian's <c>prometheus-alertmanager</c>, which scripts/test.sh installs) on a free
/// loopback port, clustering off, storage in a temporary folder, whose one receiver is the app's webhook with a Bearer
/// token; short group waits so a test sees notifications within seconds. <see cref="AmtoolAsync"/> runs <c>amtool</c>
/// against it.
/// </summary>
internal sealed class AlertmanagerProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";
    public const string Amtool = "/usr/bin/amtool";

    private readonly Process _process;
    private readonly DirectoryInfo _directory;

    private AlertmanagerProcess(Process process, DirectoryInfo directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<AlertmanagerProcess> StartAsync(Uri webhook, string bearer)
    {
        Assert.True(File.Exists(Binary) && File.Exists(Amtool), "prometheus-alertmanager is not installed: run scripts/test.sh, which installs it.");
        var directory = Directory.CreateTempSubdirectory("alertmanager-");
        var config = Path.Combine(directory.FullName, "alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              resolve_timeout: 5s
            route:
              receiver: oncall
              group_by: ['alertname']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: oncall
                webhook_configs:
                  - url: '{webhook.AbsoluteUri}'
                    send_resolved: true
                    http_config:
                      authorization:
                        type: Bearer
                        credentials: '{bearer}'
            """);
        var port = FreePort.Next();
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.path={Path.Combine(directory.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var alertmanager = new AlertmanagerProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient();
        var ready = await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri(alertmanager.Url, "-/ready"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
        if (!ready)
        {
            await alertmanager.DisposeAsync();
            Assert.Fail("Alertmanager did not become ready.");
        }

        return alertmanager;
    }

    /// <summary>Runs amtool with <paramref name="arguments"/> against this Alertmanager; fails the test on a non-zero exit.</summary>
    public async Task AmtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Amtool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add($"--alertmanager.url={Url.AbsoluteUri}");
        using var amtool = Process.Start(start)!;
        var error = amtool.StandardError.ReadToEndAsync();
        await amtool.StandardOutput.ReadToEndAsync();
        await amtool.WaitForExitAsync();
        Assert.True(amtool.ExitCode == 0, $"amtool {string.Join(' ', arguments)}: {await error}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Delete(recursive: true);
    }
}
