using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class AccessApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetAccess_EachKey_SaysWhatItMayDo()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        var admin = (await app.Admin.GetJsonAsync("/api/access"))["access"]!.GetValue<string>();
        var read = (await app.Reader.GetJsonAsync("/api/access"))["access"]!.GetValue<string>();

        Assert.Equal(("admin", "read"), (admin, read));
    }

    [Fact]
    public async Task GetAccess_NoKey_Is401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.GetAsync("/api/access");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
