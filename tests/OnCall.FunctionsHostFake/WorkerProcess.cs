using System.Diagnostics;

namespace OnCall.FunctionsHostFake;

/// <summary>
/// The worker process, started as the host's DefaultWorkerProcessFactory starts it: no shell, stdout and stderr redirected,
/// the host's environment plus the worker's variables, the script root as working directory.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly WorkerOutput _output;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly EventHandler _onTestProcessExit;

    private WorkerProcess(Process process, WorkerOutput output)
    {
        _process = process;
        _output = output;
        _onTestProcessExit = (_, _) => Kill();
    }

    /// <summary>Completes with the exit code when the worker exits.</summary>
    public Task<int> Exited => _exited.Task;

    public int Id { get; private set; }

    public string CommandLine { get; private set; } = "";

    public static WorkerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment, WorkerOutput output)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,
            UseShellExecute = false,
            ErrorDialog = false,
            WorkingDirectory = workingDirectory,
        };

        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, output);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Append("stdout", e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Append("stderr", e.Data);
            }
        };
        process.Exited += (_, _) => worker.OnExited();

        worker.CommandLine = fileName + " " + string.Join(' ', startInfo.ArgumentList.Select(a => a.Contains(' ', StringComparison.Ordinal) ? "\"" + a + "\"" : a));
        output.Append("fake-host", "starting worker: " + worker.CommandLine);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new FakeFunctionsHostException($"Could not start the worker '{worker.CommandLine}' in '{workingDirectory}': {e.Message}", e);
        }

        worker.Id = process.Id;
        AppDomain.CurrentDomain.ProcessExit += worker._onTestProcessExit;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the worker to exit by itself.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        Task finished = await Task.WhenAny(_exited.Task, Task.Delay(timeout)).ConfigureAwait(false);
        return finished == _exited.Task;
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onTestProcessExit;
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _output.Append("fake-host", "could not kill the worker: " + e.Message);
        }
    }

    private void OnExited()
    {
        int code;
        try
        {
            // Let the redirected streams drain so the last lines make it into the output.
            _process.WaitForExit();
            code = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            code = -1;
        }

        _output.Append("fake-host", $"worker process {Id} exited with code {code}");
        _exited.TrySetResult(code);
    }
}
