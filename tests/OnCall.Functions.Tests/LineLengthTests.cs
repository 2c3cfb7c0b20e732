using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

public sealed class LineLengthTests
{
    private const int MaxLineLength = 140;

    [Fact]
    public void SourceFiles_EveryLine_AtMost140Characters()
    {
        var src = RepositoryRoot.File("src");
        var tooLong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(src, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var lines = File.ReadAllText(file).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                var length = line.EndsWith('\r') ? line.Length - 1 : line.Length;
                if (length > MaxLineLength)
                {
                    tooLong.Add($"src/{relative}:{i + 1} ({length} characters)");
                }
            }
        }

        Assert.True(tooLong.Count == 0, $"Lines over {MaxLineLength} characters:\n{string.Join('\n', tooLong)}");
    }
}
