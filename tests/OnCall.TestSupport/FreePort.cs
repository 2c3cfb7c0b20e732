using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OnCall.TestSupport;

public static class FreePort
{
    private const int Lowest = 10_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock HandedOutLock = new();

    /// <summary>
    /// A loopback port nothing listens on right now, for a process that will bind it later (Azurite, Alertmanager).
    /// Chosen below the kernel's ephemeral range: a port from that range can be taken, between this check and the bind,
    /// as the local end of any outgoing connection, and the suite makes thousands of them (CI saw Azurite fail to start).
    /// </summary>
    public static int Next()
    {
        var below = EphemeralRangeStart();
        if (below - Lowest < 1_000)
        {
            return AnyFromKernel();
        }

        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(Lowest, below);
            lock (HandedOutLock)
            {
                if (!HandedOut.Add(port))
                {
                    continue;
                }
            }

            if (IsFree(port))
            {
                return port;
            }
        }

        return AnyFromKernel();
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int AnyFromKernel()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? start
            : 32_768;
    }
}
