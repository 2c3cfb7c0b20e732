using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnCall.Core.CalendarSync;
using OnCall.Infrastructure.GoogleCalendar;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.GoogleCalendar;

/// <summary>The service account's sign-in against the fake's token endpoint, which checks the assertion as Google does.</summary>
public sealed class GoogleAccessTokensTests
{
    private readonly FakeTimeProvider _clock = Clocks.At("2026-11-30T09:00:00Z");

    [Fact]
    public async Task GetAsync_FirstCall_ReturnsTheTokenIssuedForTheSignedAssertion()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson);

        var token = await services.GetRequiredService<GoogleAccessTokens>().GetAsync();

        Assert.Equal([token], google.AccessTokens);
    }

    [Fact]
    public async Task GetAsync_Assertion_NamesTheAccountScopeKeyAndAnHourFromNow()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson);

        await services.GetRequiredService<GoogleAccessTokens>().GetAsync();

        var form = System.Web.HttpUtility.ParseQueryString(Assert.Single(google.Requests).Body);
        var parts = form["assertion"]!.Split('.');
        var header = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]))!;
        var claims = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!;
        Assert.Equal(FakeGoogleCalendar.KeyId, header["kid"]!.GetValue<string>());
        Assert.Equal(FakeGoogleCalendar.ClientEmail, claims["iss"]!.GetValue<string>());
        Assert.Equal(GoogleAccessTokens.Scope, claims["scope"]!.GetValue<string>());
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds(), claims["iat"]!.GetValue<long>());
        Assert.Equal(_clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), claims["exp"]!.GetValue<long>());
    }

    [Fact]
    public async Task GetAsync_CalledAgainWithinTheTokensLife_AsksTheEndpointOnce()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson);
        var tokens = services.GetRequiredService<GoogleAccessTokens>();

        var first = await tokens.GetAsync();
        _clock.Advance(TimeSpan.FromMinutes(54));
        var second = await tokens.GetAsync();

        Assert.Equal(first, second);
        Assert.Single(google.Requests);
    }

    [Fact]
    public async Task GetAsync_FiveMinutesBeforeExpiry_GetsANewToken()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson);
        var tokens = services.GetRequiredService<GoogleAccessTokens>();

        var first = await tokens.GetAsync();
        _clock.Advance(TimeSpan.FromSeconds(3599) - TimeSpan.FromMinutes(5));
        var second = await tokens.GetAsync();

        Assert.NotEqual(first, second);
        Assert.Equal(2, google.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_TokenLastingTwoMinutes_RenewedHalfwayThrough()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson);
        var tokens = services.GetRequiredService<GoogleAccessTokens>();
        google.Enqueue(new FakeResponse
        {
            StatusCode = 200,
            Body = """{"access_token":"ya29.short-lived","expires_in":120,"token_type":"Bearer"}""",
            ContentType = "application/json",
        });

        Assert.Equal("ya29.short-lived", await tokens.GetAsync());
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("ya29.short-lived", await tokens.GetAsync());
        _clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = await tokens.GetAsync();

        Assert.Equal([renewed], google.AccessTokens);
    }

    [Fact]
    public async Task GetAsync_RenewalRefusedWhileTheTokenIsValid_KeepsUsingIt()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson);
        var tokens = services.GetRequiredService<GoogleAccessTokens>();
        var first = await tokens.GetAsync();
        _clock.Advance(TimeSpan.FromMinutes(57));
        google.Enqueue(FakeResponse.Status(400, """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"""));

        var second = await tokens.GetAsync();

        Assert.Equal(first, second);
        Assert.Equal(2, google.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_RenewalRefusedAfterTheTokenExpired_Throws()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson);
        var tokens = services.GetRequiredService<GoogleAccessTokens>();
        await tokens.GetAsync();
        _clock.Advance(TimeSpan.FromMinutes(60));
        google.Enqueue(FakeResponse.Status(400, """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"""));

        await Assert.ThrowsAsync<CalendarApiException>(() => tokens.GetAsync());
    }

    [Fact]
    public async Task GetAsync_ManyCallersAtOnce_ShareOneTrade()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson);
        var tokens = services.GetRequiredService<GoogleAccessTokens>();

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tokens.GetAsync()));

        Assert.Single(all.Distinct());
        Assert.Single(google.Requests);
    }

    [Fact]
    public async Task GetAsync_KeyGoogleDoesNotKnow_ThrowsNamingGooglesErrorNotTheKey()
    {
        await using var google = await StartedAsync();
        using var otherKey = RSA.Create(2048);
        var json = JsonNode.Parse(google.ServiceAccountJson)!;
        json["private_key"] = otherKey.ExportPkcs8PrivateKeyPem();
        using var services = Services(json.ToJsonString());

        var error = await Assert.ThrowsAsync<CalendarApiException>(
            () => services.GetRequiredService<GoogleAccessTokens>().GetAsync());

        Assert.Equal("authentication failed: invalid_grant: Invalid JWT: signature. (HTTP 400)", error.Message);
    }

    [Fact]
    public async Task GetAsync_AfterARefusal_TriesAgain()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson);
        var tokens = services.GetRequiredService<GoogleAccessTokens>();
        google.Enqueue(FakeResponse.Status(400, """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"""));

        await Assert.ThrowsAsync<CalendarApiException>(() => tokens.GetAsync());
        var token = await tokens.GetAsync();

        Assert.Equal([token], google.AccessTokens);
    }

    [Fact]
    public async Task GetAsync_EndpointAnswers429WithRetryAfter_WaitsItOutAndRetries()
    {
        await using var google = await StartedAsync();
        using var services = Services(google.ServiceAccountJson, TimeProvider.System);
        google.Enqueue(FakeResponse.TooManyRequests(TimeSpan.FromSeconds(1)));
        var started = Stopwatch.GetTimestamp();

        var token = await services.GetRequiredService<GoogleAccessTokens>().GetAsync();

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9));
        Assert.Equal(2, google.Requests.Count);
        Assert.Equal([token], google.AccessTokens);
    }

    [Fact]
    public async Task GetAsync_EndpointUnreachable_ThrowsCalendarApiException()
    {
        await using var google = await StartedAsync();
        var json = JsonNode.Parse(google.ServiceAccountJson)!;
        json["token_uri"] = $"http://127.0.0.1:{FreePort.Next()}/token";
        using var services = Services(json.ToJsonString(), TimeProvider.System, retries: 0);

        var error = await Assert.ThrowsAsync<CalendarApiException>(
            () => services.GetRequiredService<GoogleAccessTokens>().GetAsync());

        Assert.StartsWith("authentication failed: token endpoint: request failed", error.Message, StringComparison.Ordinal);
    }

    private static async Task<FakeGoogleCalendar> StartedAsync()
    {
        var google = new FakeGoogleCalendar();
        await google.StartAsync();
        return google;
    }

    private ServiceProvider Services(string serviceAccountJson, TimeProvider? clock = null, int retries = 3)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["OnCall:Google:ServiceAccountJson"] = serviceAccountJson,
            ["OnCall:Google:Http:MaxRetryAttempts"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OnCall:Google:Http:RetryBaseDelay"] = "00:00:00.010",
        }).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton(clock ?? _clock)
            .AddOnCallStorage(configuration)
            .AddOnCallRotations(configuration)
            .AddOnCallCalendarFeeds(configuration)
            .AddOnCallGoogleCalendar(configuration)
            .BuildServiceProvider();
    }
}
