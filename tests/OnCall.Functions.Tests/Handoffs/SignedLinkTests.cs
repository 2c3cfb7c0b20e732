using System.Net;
using Microsoft.Extensions.Options;
using NodaTime;
using OnCall.Core.Handoffs;
using OnCall.Infrastructure.Handoffs;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class SignedLinkTests(AzuriteFixture azurite)
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    [Fact]
    public async Task SignedLink_Get_ShowsPageAndChangesNothing()
    {
        await using var app = await StartAsync(Clocks.At("2026-11-12T15:05:00Z"));
        var link = await LinkAsync(app);

        using var response = await app.Client.GetAsync(link);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
        Assert.Contains("Lin hands secondary", html, StringComparison.Ordinal);
        Assert.Equal("pending", (await app.HandoffAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignedLink_Get_NotCachedNorSentAsReferrer()
    {
        await using var app = await StartAsync(Clocks.At("2026-11-12T15:05:00Z"));

        using var response = await app.Client.GetAsync(await LinkAsync(app));

        Assert.Equal(("no-store", "no-referrer"), (response.Headers.CacheControl?.ToString(), response.Headers.GetValues("Referrer-Policy").Single()));
    }

    [Fact]
    public async Task SignedLink_PostMoreThanAnHourEarly_Returns409PageAndStaysPending()
    {
        await using var app = await StartAsync(Clocks.At(Api.Now));

        using var response = await app.Client.PostAsync(await LinkAsync(app), null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("pending", (await app.HandoffAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignedLink_Post_AcknowledgesAsTheLinksEmail()
    {
        await using var app = await StartAsync(Clocks.At("2026-11-12T15:05:00Z"));
        var link = await LinkAsync(app);

        using var response = await app.Client.PostAsync(link, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var handoff = await app.HandoffAsync();
        Assert.Equal(("acknowledged", "ada@example.com"), (handoff["status"]!.GetValue<string>(), handoff["acknowledgedBy"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SignedLink_PostTwice_SecondChangesNothing()
    {
        var clock = Clocks.At("2026-11-12T15:05:00Z");
        await using var app = await StartAsync(clock);
        var link = await LinkAsync(app);
        (await app.Client.PostAsync(link, null)).Dispose();
        clock.Advance(TimeSpan.FromMinutes(3));

        using var again = await app.Client.PostAsync(link, null);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("2026-11-12T15:05:00Z", (await app.HandoffAsync())["acknowledgedAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignedLink_TamperedSignature_Returns403Page()
    {
        await using var app = await StartAsync(Clocks.At("2026-11-12T15:05:00Z"));
        var link = await LinkAsync(app);

        using var response = await app.Client.PostAsync(link[..^2] + (link.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"), null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not valid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", (await app.HandoffAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignedLink_OtherEmail_Returns403Page()
    {
        await using var app = await StartAsync(Clocks.At("2026-11-12T15:05:00Z"));
        var link = await LinkAsync(app);

        using var response = await app.Client.PostAsync(link.Replace("ada%40example.com", "dana%40example.com", StringComparison.Ordinal), null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task SignedLink_ForAnotherHandoff_Returns403Page()
    {
        await using var app = await StartAsync(Clocks.At("2026-11-12T15:05:00Z"));
        var other = Handoff.IdFor("platform", "primary", HandoffKit.DueInstant);
        var link = (await LinkAsync(app)).Replace(HandoffKit.Id, other, StringComparison.Ordinal);

        using var response = await app.Client.PostAsync(link, null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task SignedLink_AfterTheNextLocalDay_Returns403Expired()
    {
        var clock = Clocks.At("2026-11-12T15:05:00Z");
        await using var app = await StartAsync(clock);
        var link = await LinkAsync(app);
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-14T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        using var response = await app.Client.PostAsync(link, null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_LinkKeyTooShort_FailsNamingTheSetting()
    {
        var settings = HandoffKit.Settings();
        settings["OnCall:Handoffs:LinkKey"] = "short";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(azurite.ConnectionString, settings: settings));

        Assert.Contains("OnCall:Handoffs:LinkKey", error.Message, StringComparison.Ordinal);
    }

    private async Task<TestApp> StartAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock)
    {
        var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(links: true));
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        return app;
    }

    private static async Task<string> LinkAsync(TestApp app)
    {
        var handoff = await app.Service<HandoffService>().GetAsync(HandoffKit.Id);
        return app.Service<HandoffLinkSigner>().AcknowledgeLink(handoff, NewYork, "ada@example.com")!.PathAndQuery;
    }
}
