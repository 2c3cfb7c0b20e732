using System.Net;
using OnCall.Functions.Catalogue;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>Calendar clients and uptime probes send HEAD: every GET function takes it, with GET's status and no body.</summary>
[Collection(StorageTests.Collection)]
public sealed class HeadRequestTests(AzuriteFixture azurite)
{
    [Fact]
    public void Catalogue_EveryGetFunction_AlsoTakesHead() =>
        Assert.All(FunctionCatalogue.Default.Http.Where(f => f.Methods.Contains("GET")), f => Assert.Contains("HEAD", f.Methods));

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/api/page")]
    [InlineData("/")]
    [InlineData("/api/rotations/platform")]
    [InlineData("/api/rotations/platform/oncall")]
    public async Task Head_GetRoute_SameStatusAndNoBody(string path)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var get = await app.Reader.GetAsync(path);
        using var head = await app.Reader.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal((get.StatusCode, 0), (head.StatusCode, (await head.Content.ReadAsByteArrayAsync()).Length));
    }

    [Fact]
    public async Task Head_CalendarFeed_OkWithTheFeedsLengthAndNoBody()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();

        using var get = await app.Client.GetAsync(url);
        using var head = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal((get.Content.Headers.ContentLength, get.Headers.ETag), (head.Content.Headers.ContentLength, head.Headers.ETag));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_KeyedRouteWithoutKey_Is401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var head = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/rotations"));

        Assert.Equal(HttpStatusCode.Unauthorized, head.StatusCode);
    }
}
