using System.ComponentModel.DataAnnotations;
using OnCall.Functions.Hosting;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>Links come from OnCall:PublicBaseUrl (or, standalone, the listening address), never from the request.</summary>
[Collection(StorageTests.Collection)]
public sealed class PublicBaseUrlTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task PutRotation_ForgedHostHeaders_FeedUrlStartsAtPublicBaseUrl()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string> { ["OnCall:PublicBaseUrl"] = "https://oncall.example.com" });
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/rotations/platform") { Content = Api.Json(Api.Rotation()) };
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "forwarded.example");
        request.Headers.Add("X-Forwarded-Proto", "http");

        using var response = await app.Admin.SendAsync(request);

        var feedUrl = (await Api.BodyAsync(response))["feedUrl"]!.GetValue<string>();
        Assert.StartsWith("https://oncall.example.com/api/rotations/platform/calendar.ics?token=", feedUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateFeedToken_Standalone_FeedUrlIsTheListeningAddress()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rotations/platform/feed-token");
        request.Headers.Host = "evil.example";

        using var response = await app.Admin.SendAsync(request);

        var feedUrl = (await Api.BodyAsync(response))["feedUrl"]!.GetValue<string>();
        Assert.StartsWith(new Uri(app.BaseAddress, "/api/rotations/platform/calendar.ics?token=").AbsoluteUri, feedUrl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("oncall.example.com")]
    [InlineData("ftp://oncall.example.com")]
    [InlineData("https://oncall.example.com/?x=1")]
    public void Options_PublicBaseUrlNotAnHttpAddress_NamesTheSetting(string value) =>
        Assert.Contains(Validate(new OnCallOptions { AdminKey = TestApp.AdminKey, PublicBaseUrl = value }), r => r.ErrorMessage!.StartsWith("OnCall:PublicBaseUrl", StringComparison.Ordinal));

    [Fact]
    public void Options_UnderFunctionsHostWithoutPublicBaseUrl_NamesTheSetting() =>
        Assert.Contains(Validate(new OnCallOptions { AdminKey = TestApp.AdminKey, UnderFunctionsHost = true }), r => r.ErrorMessage!.StartsWith("OnCall:PublicBaseUrl must be set under the Functions host", StringComparison.Ordinal));

    [Fact]
    public void Options_StandaloneWithoutPublicBaseUrl_IsValid() =>
        Assert.Empty(Validate(new OnCallOptions { AdminKey = TestApp.AdminKey }));

    private static List<ValidationResult> Validate(OnCallOptions options) => [.. options.Validate(new ValidationContext(options))];
}
