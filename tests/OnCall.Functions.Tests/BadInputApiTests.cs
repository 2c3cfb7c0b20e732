using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class BadInputApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task PutRotation_WithoutKey_Returns401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.PutAsync("/api/rotations/platform", Api.Json(Api.Rotation()));

        await Api.AssertProblemAsync(response, 401, "x-functions-key");
    }

    [Fact]
    public async Task PutRotation_WrongKey_Returns401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/rotations/platform") { Content = Api.Json(Api.Rotation()) };
        request.Headers.Add("x-functions-key", TestApp.AdminKey + "x");

        using var response = await app.Client.SendAsync(request);

        await Api.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task PutRotation_InvalidJson_Returns400()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Admin.PutAsync("/api/rotations/platform", Api.Json("{\"name\": "));

        await Api.AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task PutRotation_WrongJsonType_Returns400NamingField()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var rotation = Api.Rotation();
        rotation["layers"] = "primary";

        using var response = await app.PutAsync(rotation);

        await Api.AssertProblemAsync(response, 400, "layers");
    }

    [Theory]
    [InlineData("timeZone", "Mars/Base", "timeZone")]
    [InlineData("handoffGrace", "soon", "handoffGrace")]
    [InlineData("handoffGrace", "P106752D", "handoffGrace")]
    [InlineData("handoffGrace", "PT2562048H", "handoffGrace")]
    [InlineData("handoffGrace", "P999999999D", "handoffGrace")]
    [InlineData("horizon", "P2Y", "horizon")]
    [InlineData("horizon", "P999999999D", "horizon")]
    [InlineData("name", "Platform\u0000", "name")]
    [InlineData("name", "Platform\u0007", "name")]
    [InlineData("name", "\u001b[31mPlatform", "name")]
    public async Task PutRotation_BadField_Returns400NamingField(string property, string value, string field)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var rotation = Api.Rotation();
        rotation[property] = value;

        using var response = await app.PutAsync(rotation);

        await Api.AssertProblemAsync(response, 400, field);
    }

    [Theory]
    [InlineData("shiftLength", "P0D")]
    [InlineData("shiftLength", "-P7D")]
    [InlineData("shiftLength", "P999999999D")]
    [InlineData("shiftLength", "PT2562048H")]
    [InlineData("offset", "P106752D")]
    [InlineData("anchor", "0001-01-01")]
    [InlineData("handoffTime", "25:00")]
    [InlineData("members", null)]
    public async Task PutRotation_BadLayer_Returns400NamingField(string property, string? value)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var rotation = Api.Rotation();
        rotation["layers"]![0]![property] = value is null ? new JsonArray() : value;

        using var response = await app.PutAsync(rotation);

        await Api.AssertProblemAsync(response, 400, $"layers[0].{property}");
    }

    [Fact]
    public async Task PutRotation_BodyOver256KiB_Returns413()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var rotation = Api.Rotation();
        rotation["name"] = new string('x', 300 * 1024);

        using var response = await app.PutAsync(rotation);

        await Api.AssertProblemAsync(response, 413, "body");
    }

    [Fact]
    public async Task PutRotation_ChunkedBodyOver256KiB_Returns413()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var rotation = Api.Rotation();
        rotation["name"] = new string('x', 300 * 1024);
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(rotation.ToJsonString())));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/rotations/platform") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("x-functions-key", TestApp.AdminKey);

        using var response = await app.Client.SendAsync(request);

        await Api.AssertProblemAsync(response, 413);
    }

    [Fact]
    public async Task GetShifts_FromAfterTo_Returns400NamingTo()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Reader.GetAsync("/api/rotations/platform/shifts?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z");

        await Api.AssertProblemAsync(response, 400, "to");
    }

    [Fact]
    public async Task GetShifts_RangeOverAYear_Returns400NamingTo()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Reader.GetAsync("/api/rotations/platform/shifts?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z");

        await Api.AssertProblemAsync(response, 400, "to");
    }

    [Fact]
    public async Task GetShifts_BadInstant_Returns400NamingFrom()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Reader.GetAsync("/api/rotations/platform/shifts?from=yesterday");

        await Api.AssertProblemAsync(response, 400, "from");
    }

    [Fact]
    public async Task GetShifts_UnknownRotation_Returns404()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Reader.GetAsync("/api/rotations/nobody/shifts");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task GetRotation_InvalidId_Returns400NamingId()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Reader.GetAsync("/api/rotations/NOT_AN_ID");

        await Api.AssertProblemAsync(response, 400, "id");
    }

    [Fact]
    public async Task PutRotation_SeveralBadFields_ReportsEveryOneInErrors()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var rotation = Api.Rotation();
        rotation["timeZone"] = "Mars/Base";
        rotation["handoffGrace"] = "P2D";
        rotation["layers"]![1]!["members"]![0]!["email"] = "not-an-email";

        using var response = await app.PutAsync(rotation);

        await Api.AssertProblemAsync(response, 400, "timeZone");
        var errors = (await Api.BodyAsync(response))["errors"]!.AsObject();
        Assert.Equal(["timeZone", "handoffGrace", "layers[1].members[0].email"], errors.Select(e => e.Key));
    }

    [Fact]
    public async Task AddOverride_NotWholeMinutes_Returns400NamingStart()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddOverrideAsync("2026-11-20T10:00:00.0000001Z", "2026-11-20T11:00:00Z");

        await Api.AssertProblemAsync(response, 400, "start");
    }

    [Fact]
    public async Task AddOverride_ControlCharacterInMemberName_Returns400NamingField()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddOverrideAsync("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", name: "Sam\u001b");

        await Api.AssertProblemAsync(response, 400, "member.name");
    }

    [Theory]
    [InlineData("GET", "/index.html")]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("PATCH", "/api/rotations/platform")]
    public async Task UnknownRouteOrMethod_AnswersProblemJson(string method, string path)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await Api.AssertProblemAsync(response, method == "GET" ? 404 : 405);
    }
}
