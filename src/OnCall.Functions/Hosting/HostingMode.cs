using System.Globalization;

namespace OnCall.Functions.Hosting;

/// <summary>
/// Under the Functions host the app listens where <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> says and the host
/// triggers timers; standalone it listens on <see cref="StandaloneUrl"/> and runs its own timers.
/// </summary>
public sealed record HostingMode(int? CustomHandlerPort)
{
    public const string StandaloneUrl = "http://localhost:7071";
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public bool UnderFunctionsHost => CustomHandlerPort is not null;

    public static HostingMode From(IConfiguration configuration) =>
        configuration[PortSetting] is { Length: > 0 } port
            ? new HostingMode(int.Parse(port, CultureInfo.InvariantCulture))
            : new HostingMode((int?)null);
}
