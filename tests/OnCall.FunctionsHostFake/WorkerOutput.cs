using System.Globalization;
using System.Text;

namespace OnCall.FunctionsHostFake;

/// <summary>Everything the worker printed (stdout, stderr) and logged over gRPC (RpcLog), in arrival order.</summary>
internal sealed class WorkerOutput
{
    // A runaway worker must not eat the test process's memory; the head of the output is where start-up failures are.
    private const int MaxChars = 4 * 1024 * 1024;

    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private bool _truncated;

    public void Append(string source, string line)
    {
        lock (_gate)
        {
            if (_text.Length > MaxChars)
            {
                if (!_truncated)
                {
                    _truncated = true;
                    _text.AppendLine("[fake-host] output truncated: more than 4 MiB");
                }

                return;
            }

            _text.Append(DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture))
                .Append(" [").Append(source).Append("] ").AppendLine(line);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
