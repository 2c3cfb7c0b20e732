using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.OpenApi;

/// <summary>GET /api/openapi.json serves the committed document, anonymously; its security says what each route refuses.</summary>
[Collection(StorageTests.Collection)]
public sealed class OpenApiServedTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task OpenApiDocument_Anonymous_ServesTheCommittedDocument()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.GetAsync("/api/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(
            await File.ReadAllTextAsync(RepositoryRoot.File("docs", "openapi.json")) == await response.Content.ReadAsStringAsync(),
            $"The app serves another document than docs/openapi.json: rebuild, or run `{OpenApiDocumentTests.RegenerateCommand}`.");
    }

    [Fact]
    public async Task OpenApiDocument_SameETag_Returns304()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        using var first = await app.Client.GetAsync("/api/openapi.json");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/openapi.json");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await app.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task ProblemResponse_InvalidBody_HasOnlyTheDocumentedMembers()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryRoot.File("docs", "openapi.json")))!;
        var schema = document["components"]!["schemas"]!["ProblemResponse"]!;
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Admin.PutAsync("/api/rotations/platform", Api.Json("""{"id": "platform", "layers": [{}]}"""));

        await Api.AssertProblemAsync(response, 400);
        var problem = (await Api.BodyAsync(response)).AsObject();
        Assert.True(problem.ContainsKey("errors"), problem.ToJsonString());
        var documented = schema["properties"]!.AsObject();
        Assert.All(problem, member => Assert.True(documented.ContainsKey(member.Key), $"{member.Key} is not in ProblemResponse"));
        Assert.All(schema["required"]!.AsArray(), member => Assert.True(problem.ContainsKey(member!.GetValue<string>()), $"no {member}"));
    }

    [Fact]
    public async Task Security_EveryOperation_IsWhatTheRouteRefuses()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryRoot.File("docs", "openapi.json")))!;
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is not "head" and not "parameters"))
            {
                var security = operation!["security"]!.AsArray().Select(r => r!.AsObject()).ToList();
                var roles = security.SelectMany(r => r.SelectMany(s => s.Value!.AsArray())).Select(r => r!.GetValue<string>()).ToHashSet();
                var keyed = security.Any(r => r.Count > 0);
                using var anonymous = await SendAsync(app.Client, method, path);
                using var reader = await SendAsync(app.Reader, method, path);

                Assert.True(
                    keyed == (anonymous.StatusCode == HttpStatusCode.Unauthorized),
                    $"{method} {path}: keyed {keyed}, got {(int)anonymous.StatusCode} without a key");
                if (roles.Count > 0)
                {
                    Assert.True(
                        roles.Contains("admin") == (reader.StatusCode == HttpStatusCode.Forbidden),
                        $"{method} {path}: roles {string.Join(",", roles)}, read-only key got {(int)reader.StatusCode}");
                }
            }
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        var address = path.Replace("{", "x-", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), address);
        if (method is "post" or "put")
        {
            request.Content = new StringContent("{}", new MediaTypeHeaderValue("application/json"));
        }

        return client.SendAsync(request);
    }
}
