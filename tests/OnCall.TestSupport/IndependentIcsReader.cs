using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace OnCall.TestSupport;

/// <summary>Parses ICS with Debian's python3-icalendar, so the feed is checked by a parser we did not write with.</summary>
public static class IndependentIcsReader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record IcsEvent(string Uid, string Summary, string Description, DateTimeOffset Start, DateTimeOffset End, string Status, int Sequence, string Transparency, DateTimeOffset LastModified);

    public sealed record Document(string Name, IReadOnlyList<IcsEvent> Events);

    public static async Task<Document> ReadAsync(string ics)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "python", "read_ics.py"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(ics);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"python3-icalendar failed: {await error}");
        return JsonSerializer.Deserialize<Document>(await output, Json)!;
    }
}
