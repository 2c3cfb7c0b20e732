using System.Text.Json.Nodes;

namespace OnCall.Functions.Tests;

/// <summary>Requests and bodies of the time off API tests.</summary>
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
}
