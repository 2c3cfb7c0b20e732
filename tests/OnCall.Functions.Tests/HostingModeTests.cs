using Microsoft.Extensions.Configuration;
using OnCall.Functions.Hosting;

namespace OnCall.Functions.Tests;

public sealed class HostingModeTests
{
    private static readonly IConfiguration NoEnvironment = new ConfigurationBuilder().Build();

    [Fact]
    public void From_FunctionsUriArgument_IsUnderTheHost() =>
        // The arguments the host appends when it starts a dotnet-isolated worker (see tests/OnCall.FunctionsHostFake).
        Assert.True(HostingMode.From(["--functions-uri", "http://127.0.0.1:50051/", "--functions-worker-id", "w"], NoEnvironment).UnderFunctionsHost);

    [Fact]
    public void From_HostEndpointInEnvironment_IsUnderTheHost() =>
        Assert.True(HostingMode.From([], new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:50051/" }).Build()).UnderFunctionsHost);

    [Fact]
    public void From_UrlsOnly_IsStandalone() =>
        Assert.False(HostingMode.From(["--urls", "http://localhost:7071"], NoEnvironment).UnderFunctionsHost);
}
