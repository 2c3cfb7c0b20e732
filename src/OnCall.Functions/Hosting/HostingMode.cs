namespace OnCall.Functions.Hosting;

/// <summary>
/// Under the Functions host or standalone. The host starts the worker with its gRPC address
/// (<c>--functions-uri</c>, read by the worker as <c>Functions:Worker:HostEndpoint</c>; older hosts also pass
/// <c>--host</c>/<c>--port</c>); without it the executable is not under a host and runs standalone.
/// </summary>
public sealed record HostingMode(bool UnderFunctionsHost)
{
    public const string StandaloneUrl = "http://localhost:7071";
    public const string HostEndpointSetting = "Functions:Worker:HostEndpoint";

    public static HostingMode Standalone { get; } = new(false);

    public static HostingMode FunctionsHost { get; } = new(true);

    public static HostingMode From(string[] args, IConfiguration environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var underHost = args.Any(a => a.StartsWith("--functions-uri", StringComparison.Ordinal))
            || !string.IsNullOrEmpty(environment[HostEndpointSetting]);
        return underHost ? FunctionsHost : Standalone;
    }
}
