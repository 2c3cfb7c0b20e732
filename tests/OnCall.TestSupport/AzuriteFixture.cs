using System.Security.Cryptography;
using Xunit;

namespace OnCall.TestSupport;

/// <summary>
/// A real Azurite (from the repository's pinned node_modules) on free loopback ports with in-memory
/// persistence: one per test assembly, shared by its tests, each of which uses its own tables.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    // Azurite's well-known development account; not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private AzuriteProcess? _azurite;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        ConnectionString = _azurite.ConnectionString;
    }

    /// <summary>The development account's connection string for emulator ports (closed ports make an unreachable account).</summary>
    public static string ConnectionStringAt(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    /// <summary>A fresh table/container prefix, so a test sees only its own data.</summary>
    public static string NewPrefix() => "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
