using System.Text.Json.Nodes;

namespace OnCall.Functions.Tests;

/// <summary>Requests and bodies of the time off and coverage API tests.</summary>
internal static class TimeOffApi
{
    public static Task<HttpResponseMessage> AddTimeOffAsync(this TestApp app, string member, string start, string end, string rotation = "platform") =>
        app.Admin.PostAsync($"/api/rotations/{rotation}/time-off", Api.Json(new JsonObject
        {
            ["member"] = member,
            ["start"] = start,
            ["end"] = end,
            ["reason"] = "vacation",
        }));

    /// <summary>Adds time off, asserting it was created; returns its id.</summary>
    public static async Task<string> AddTimeOffOkAsync(this TestApp app, string member, string start, string end, string rotation = "platform")
    {
        using var response = await app.AddTimeOffAsync(member, start, end, rotation);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await Api.BodyAsync(response))["id"]!.GetValue<string>();
    }

    /// <summary>The coverage problems of one kind as (layer, start, end, member).</summary>
    public static async Task<List<(string Layer, string Start, string End, string? Member)>> ProblemsAsync(this TestApp app, string kind, string from, string to, string rotation = "platform")
    {
        var body = await app.Reader.GetJsonAsync($"/api/rotations/{rotation}/coverage?from={from}&to={to}");
        return [.. body["problems"]!.AsArray()
            .Where(p => p!["kind"]!.GetValue<string>() == kind)
            .Select(p => (p!["layer"]!.GetValue<string>(), p["start"]!.GetValue<string>(), p["end"]!.GetValue<string>(), p["member"]?.GetValue<string>()))];
    }

    /// <summary>A one-layer rotation in America/New_York handing off daily at 10:00 from 2027-03-01: Ada, then Lin.</summary>
    public static JsonObject DailyNewYork(string id = "daily") => JsonNode.Parse($$"""
        {
          "id": "{{id}}",
          "name": "Daily",
          "timeZone": "America/New_York",
          "supervisor": {"name": "Dana Lee", "email": "dana@example.com"},
          "layers": [
            {"name": "primary", "shiftLength": "P1D", "handoffTime": "10:00", "anchor": "2027-03-01",
             "members": [{"name": "Ada", "email": "ada@example.com"}, {"name": "Lin", "email": "lin@example.com"}]}
          ]
        }
        """)!.AsObject();
}
