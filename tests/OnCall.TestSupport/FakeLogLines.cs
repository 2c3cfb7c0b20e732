using System.Collections;
using System.Text;
using Microsoft.Extensions.Logging.Testing;

namespace OnCall.TestSupport;

public static class FakeLogLines
{
    /// <summary>
    /// Every record the collector kept, one line each: level, category, message, structured values, scopes and
    /// exception, as any sink could see them.
    /// </summary>
    public static IReadOnlyList<string> Lines(this FakeLogCollector logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        return [.. logs.GetSnapshot().Select(Line)];
    }

    private static string Line(FakeLogRecord record)
    {
        var line = new StringBuilder($"{record.Level} {record.Category}: {record.Message}");
        AppendValues(line, record.State);
        foreach (var scope in record.Scopes)
        {
            AppendValues(line.Append(" | scope"), scope);
        }

        if (record.Exception is not null)
        {
            line.Append(" | ").Append(record.Exception);
        }

        return line.ToString();
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
}
