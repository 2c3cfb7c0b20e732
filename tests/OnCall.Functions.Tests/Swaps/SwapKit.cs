using System.Net;
using System.Text.Json.Nodes;
using OnCall.Functions.Tests.Handoffs;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Swaps;

/// <summary>
/// Shared by the swap tests. With <see cref="Api.Rotation"/> and the clock at <see cref="Api.Now"/> (2026-11-12 12:00Z),
/// Ada's next primary shift runs from <see cref="AdaStart"/> to <see cref="AdaEnd"/> (Mon 16 Nov 10:00 EST for a week),
/// and Lin is the layer's other member.
/// </summary>
internal static class SwapKit
{
    public const string AdaStart = "2026-11-16T15:00:00Z";
    public const string AdaEnd = "2026-11-23T15:00:00Z";

    /// <summary>Timers off, notifications to <paramref name="slack"/>, signed links on; approval when asked.</summary>
    public static Dictionary<string, string> Settings(FakeSlack? slack = null, bool approval = false)
    {
        var settings = HandoffKit.Settings(slack, links: true);
        settings["AzureWebJobs.CheckCoverage.Disabled"] = "true";
        if (approval)
        {
            settings["OnCall:Swaps:RequireApproval"] = "true";
        }

        return settings;
    }

    public static async Task<TestApp> StartAsync(AzuriteFixture azurite, FakeSlack? slack = null, bool approval = false, JsonNode? rotation = null)
    {
        var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings(slack, approval));
        await app.CreateAsync(rotation);
        return app;
    }

    public static JsonObject Body(string requester = "ada@example.com", string start = AdaStart, string end = AdaEnd, string layer = "primary", params string[] offeredTo)
    {
        var body = new JsonObject { ["layer"] = layer, ["start"] = start, ["end"] = end, ["requester"] = requester };
        if (offeredTo.Length > 0)
        {
            body["offeredTo"] = new JsonArray([.. offeredTo.Select(e => (JsonNode)JsonValue.Create(e))]);
        }

        return body;
    }

    public static Task<HttpResponseMessage> RequestAsync(this TestApp app, JsonObject body, string rotation = "platform") =>
        app.Admin.PostAsync($"/api/rotations/{rotation}/swaps", Api.Json(body));

    /// <summary>Ada offers her primary shift (or what <paramref name="body"/> says); asserts 201 and returns the request.</summary>
    public static async Task<JsonObject> RequestOkAsync(this TestApp app, JsonObject? body = null, string rotation = "platform")
    {
        using var response = await app.RequestAsync(body ?? Body(), rotation);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Api.BodyAsync(response)).AsObject();
    }

    public static Task<HttpResponseMessage> ActAsync(this TestApp app, string id, string action, string by) =>
        app.Admin.PostAsync($"/api/swaps/{id}/{action}", Api.Json(new JsonObject { ["by"] = by }));

    public static async Task<JsonObject> SwapAsync(this TestApp app, string id) =>
        (await app.Reader.GetJsonAsync($"/api/swaps/{id}")).AsObject();

    public static string Id(this JsonObject swap) => swap["id"]!.GetValue<string>();

    public static string Status(this JsonObject swap) => swap["status"]!.GetValue<string>();

    /// <summary>The rotation's overrides, from <c>GET /api/rotations/{id}</c>.</summary>
    public static async Task<JsonArray> OverridesAsync(this TestApp app, string rotation = "platform") =>
        (await app.Reader.GetJsonAsync($"/api/rotations/{rotation}"))["overrides"]!.AsArray();

    /// <summary>A one-layer rotation "crew" of eleven, daily from 2026-11-01 at 09:00 UTC: m0 on the 13th, m1 on the 14th, ….</summary>
    public static JsonObject Crew() => new()
    {
        ["id"] = "crew",
        ["name"] = "Crew",
        ["timeZone"] = "UTC",
        ["supervisor"] = new JsonObject { ["name"] = "Dana Lee", ["email"] = "dana@example.com" },
        ["layers"] = new JsonArray(new JsonObject
        {
            ["name"] = "primary",
            ["shiftLength"] = "P1D",
            ["handoffTime"] = "09:00",
            ["anchor"] = "2026-11-13",
            ["members"] = new JsonArray([.. Enumerable.Range(0, 11).Select(i => (JsonNode)new JsonObject { ["name"] = $"M{i}", ["email"] = $"m{i}@example.com" })]),
        }),
    };
}
