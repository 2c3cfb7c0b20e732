using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class HealthApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_StorageAnswers_Returns200Ok()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        var body = await app.Reader.GetJsonAsync("/api/health");

        Assert.Equal("ok", body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_StorageDown_Returns503()
    {
        var closed = FreePort.Next();
        await using var app = await TestApp.StartAsync(AzuriteFixture.ConnectionStringAt(closed, closed, closed));

        using var response = await app.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
