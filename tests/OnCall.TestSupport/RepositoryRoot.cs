namespace OnCall.TestSupport;

/// <summary>Finds files of the repository from a test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "OnCallFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Could not find OnCallFunctions.sln above " + AppContext.BaseDirectory);
    }
}
