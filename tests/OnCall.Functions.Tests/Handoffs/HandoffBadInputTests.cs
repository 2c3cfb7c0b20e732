using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class HandoffBadInputTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At("2026-11-12T15:05:00Z"), HandoffKit.Settings());
        await _app.CreateAsync();
        await _app.RunAsync("PlanHandoffs");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("?status=late", "status")]
    [InlineData("?rotation=Not%20An%20Id", "rotation")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z", "to")]
    [InlineData("?from=2026-11-10T00:00:00Z&to=2026-11-09T00:00:00Z", "to")]
    public async Task ListHandoffs_BadQuery_Returns400NamingField(string query, string field)
    {
        using var response = await _app.Reader.GetAsync($"/api/handoffs{query}");

        await Api.AssertProblemAsync(response, 400, field);
    }

    [Theory]
    [InlineData("""{"notes":"line\u0007bell"}""", "notes")]
    [InlineData("""{"notes":""}""", "notes")]
    [InlineData("""{"notes":5}""", "notes")]
    public async Task SetNotes_BadBody_Returns400NamingField(string body, string field)
    {
        using var response = await _app.Admin.PostAsync($"/api/handoffs/{HandoffKit.Id}/notes", Api.Json(body));

        await Api.AssertProblemAsync(response, 400, field);
    }

    [Theory]
    [InlineData("""{"by":"not-an-email"}""", "by")]
    [InlineData("""{}""", "by")]
    [InlineData("""{"by":"ada@example.com","notes":"tab\u0001"}""", "notes")]
    public async Task Acknowledge_BadBody_Returns400NamingField(string body, string field)
    {
        using var response = await _app.Admin.PostAsync($"/api/handoffs/{HandoffKit.Id}/acknowledge", Api.Json(body));

        await Api.AssertProblemAsync(response, 400, field);
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("acknowledge")]
    public async Task Post_MalformedId_Returns400NamingId(string action)
    {
        using var response = await _app.Admin.PostAsync($"/api/handoffs/not-a-handoff/{action}", Api.Json(new JsonObject { ["by"] = "ada@example.com", ["notes"] = "x" }));

        await Api.AssertProblemAsync(response, 400, "id");
    }

    [Fact]
    public async Task ListHandoffs_FromAloneLongAgo_NineDaysFromThereNotUntilNow()
    {
        Assert.Empty(await _app.ListAsync("?from=2026-10-01T00:00:00Z"));
        Assert.Single(await _app.ListAsync("?from=2026-11-05T00:00:00Z"));
    }

    [Fact]
    public async Task ListHandoffs_StatusFilter_OnlyThatStatus()
    {
        Assert.Empty(await _app.ListAsync("?status=missed"));
        Assert.Single(await _app.ListAsync("?status=pending&rotation=platform"));
    }

    [Fact]
    public async Task SetNotes_Valid_StoresNotes()
    {
        using var response = await _app.Admin.PostAsync($"/api/handoffs/{HandoffKit.Id}/notes", Api.Json("""{"notes":"DB failover pending"}"""));

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("DB failover pending", (await _app.HandoffAsync())["notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetNotes_ReadKey_Returns403()
    {
        using var response = await _app.Reader.PostAsync($"/api/handoffs/{HandoffKit.Id}/notes", Api.Json("""{"notes":"x"}"""));

        await Api.AssertProblemAsync(response, 403);
    }
}
