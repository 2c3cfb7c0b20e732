using System.Diagnostics;
using System.Net.Sockets;

namespace OnCall.TestSupport;

/// <summary>
/// A real Azurite that one test owns, so it can stop it, freeze it (SIGSTOP, like a hung storage account
/// whose sockets still accept connections) and restart it empty on the same ports, as a wiped account.
/// Unlike <see cref="AzuriteFixture"/> it is never shared.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private int _blobPort = FreePort.Next();
    private int _queuePort = FreePort.Next();
    private int _tablePort = FreePort.Next();
    private readonly DirectoryInfo _workspace = Directory.CreateTempSubdirectory("azurite-");
    private Process? _process;
    private bool _frozen;

    private AzuriteProcess()
    {
    }

    /// <summary>Points at this Azurite's ports, whether it is running or not.</summary>
    public string ConnectionString => AzuriteFixture.ConnectionStringAt(_blobPort, _queuePort, _tablePort);

    /// <summary>The CPU time Azurite's process has used so far (benchmarks divide it by the operations they ran).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException("Azurite is not running.");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public static async Task<AzuriteProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        var azurite = new AzuriteProcess();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await azurite.RunAsync(cancellationToken);
                    return azurite;
                }
                catch (AzuriteExitedException) when (attempt < 3)
                {
                    // Another process bound one of the ports between choosing and starting: choose again.
                    await azurite.StopAsync(cancellationToken);
                    azurite.ChooseNewPorts();
                }
            }
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills Azurite: its ports refuse connections.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is null)
        {
            return;
        }

        if (_frozen)
        {
            await ThawAsync(cancellationToken);
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(cancellationToken);
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>Suspends Azurite: connections are accepted by the kernel but nothing ever answers.</summary>
    public async Task FreezeAsync(CancellationToken cancellationToken = default)
    {
        await SignalAsync("-STOP", cancellationToken);
        _frozen = true;
    }

    public async Task ThawAsync(CancellationToken cancellationToken = default)
    {
        await SignalAsync("-CONT", cancellationToken);
        _frozen = false;
    }

    /// <summary>Stops Azurite and starts it again on the same ports with nothing in it (in-memory persistence).</summary>
    public async Task RestartEmptyAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await RunAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _workspace.Delete(recursive: true);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var script = RepositoryRoot.File("node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script}); run 'npm ci' at the repository root (scripts/test.sh does).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _workspace.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", $"{_blobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{_queuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{_tablePort}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        _process.OutputDataReceived += (_, _) => { };
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && errors.Count < 20)
            {
                errors.Enqueue(line);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        foreach (var port in new[] { _blobPort, _queuePort, _tablePort })
        {
            await WaitForPortAsync(_process, port, errors, cancellationToken);
        }
    }

    private void ChooseNewPorts()
    {
        _blobPort = FreePort.Next();
        _queuePort = FreePort.Next();
        _tablePort = FreePort.Next();
    }

    private async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        var process = _process ?? throw new InvalidOperationException("Azurite is not running.");
        using var kill = Process.Start("kill", [signal, $"{process.Id}"]);
        await kill.WaitForExitAsync(cancellationToken);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} exited with {kill.ExitCode}.");
        }
    }

    private static async Task WaitForPortAsync(Process process, int port, IEnumerable<string> errors, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new AzuriteExitedException($"Azurite exited with code {process.ExitCode} (port {port} taken?): {string.Join(" | ", errors)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        throw new TimeoutException($"Azurite did not listen on port {port} within 30 s.");
    }
}

/// <summary>Azurite ended while starting, most often because one of its ports was taken.</summary>
public sealed class AzuriteExitedException(string message) : InvalidOperationException(message);
