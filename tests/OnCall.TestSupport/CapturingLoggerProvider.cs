using System.Collections;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace OnCall.TestSupport;

/// <summary>Keeps every log line at every level: message, structured values, scopes and exception, as any sink could see them.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static void AppendValues(StringBuilder line, object? state)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                line.Append(" | ").Append(key).Append('=').Append(value is IEnumerable e and not string ? string.Join(",", e.Cast<object?>()) : value);
            }
        }
        else
        {
            line.Append(" | ").Append(state);
        }
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            AppendValues(line, state);
            provider._scopes.ForEachScope((scope, l) => AppendValues(l.Append(" | scope"), scope), line);
            if (exception is not null)
            {
                line.Append(" | ").Append(exception);
            }

            provider._lines.Enqueue(line.ToString());
        }
    }
}
