using Azure.Data.Tables;
using OnCall.Infrastructure.Storage;
using System.Text;
using System.Text.Json.Nodes;

namespace OnCall.Functions.Tests;

/// <summary>Requests and bodies shared by the API tests.</summary>
internal static class Api
{
    public const string Now = "2026-11-12T12:00:00Z";

    public static JsonObject Rotation(string id = "platform") => JsonNode.Parse($$"""
        {
          "id": "{{id}}",
          "name": "Platform on-call",
          "timeZone": "America/New_York",
          "supervisor": {"name": "Dana Lee", "email": "dana@example.com"},
          "handoffGrace": "PT30M",
          "layers": [
            {"name": "primary", "shiftLength": "P7D", "handoffTime": "10:00", "anchor": "2026-11-02",
             "members": [{"name": "Ada", "email": "ada@example.com"}, {"name": "Lin", "email": "lin@example.com"}]},
            {"name": "secondary", "shiftLength": "P7D", "handoffTime": "10:00", "anchor": "2026-11-02", "offset": "P3D",
             "members": [{"name": "Lin", "email": "lin@example.com"}, {"name": "Ada", "email": "ada@example.com"}]}
          ]
        }
        """)!.AsObject();

    public static Task<HttpResponseMessage> PutAsync(this TestApp app, JsonNode rotation, string? id = null) =>
        app.Admin.PutAsync($"/api/rotations/{id ?? rotation["id"]!.GetValue<string>()}", Json(rotation));

    public static async Task<JsonObject> CreateAsync(this TestApp app, JsonNode? rotation = null)
    {
        using var response = await app.PutAsync(rotation ?? Rotation());
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await BodyAsync(response)).AsObject();
    }

    public static Task<HttpResponseMessage> AddOverrideAsync(this TestApp app, string start, string end, string layer = "primary", string name = "Sam") =>
        app.Admin.PostAsync("/api/rotations/platform/overrides", Json(new JsonObject
        {
            ["layer"] = layer,
            ["start"] = start,
            ["end"] = end,
            ["member"] = new JsonObject { ["name"] = name, ["email"] = $"{name.ToLowerInvariant()}@example.com" },
            ["reason"] = "swap",
        }));

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await BodyAsync(response);
    }

    /// <summary>How many shifts the ICS feed ledger remembers: each rotation's state row counts its entries.</summary>
    public static async Task<int> CountFeedLedgerAsync(this TestApp app)
    {
        var table = await app.Service<TableProvider>().GetAsync(TableFeedLedger.TableName);
        var count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {TableFeedLedger.StateRow}"), select: ["Entries"]))
        {
            count += row.GetInt32("Entries") ?? 0;
        }

        return count;
    }

    public static async Task<JsonNode> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>Asserts an RFC 7807 problem with <paramref name="status"/> that names <paramref name="field"/>.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, int status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            Assert.Equal(field, JsonNode.Parse(text)!["field"]?.GetValue<string>());
        }
    }

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    public static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
