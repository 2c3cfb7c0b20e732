using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Page;

[Collection(StorageTests.Collection)]
public sealed class PageServingTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/api/page", "text/html")]
    [InlineData("/api/page/page.js", "text/javascript")]
    [InlineData("/api/page/page.css", "text/css")]
    public async Task Get_PageFile_ServedAnonymouslyWithStrictHeaders(string path, string contentType)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Get_UnknownPageFile_ProblemNaming404()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.GetAsync("/api/page/secrets.txt");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Get_SameETag_NotModified()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        using var first = await app.Client.GetAsync("/api/page/page.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/page/page.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }
}
