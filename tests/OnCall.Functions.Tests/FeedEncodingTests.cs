using System.IO.Compression;
using System.Net.Http.Headers;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class FeedEncodingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetCalendarFeed_AcceptGzip_ServesTheSameFeedGzipped()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        var plain = await app.Client.GetStringAsync(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        Assert.Equal(plain, await new StreamReader(gzip).ReadToEndAsync());
    }

    [Fact]
    public async Task GetCalendarFeed_Plain_ContentLengthIsTheBodyLength()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();

        using var response = await app.Client.GetAsync(url);

        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.EndsWith("END:VCALENDAR\r\n", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }
}
