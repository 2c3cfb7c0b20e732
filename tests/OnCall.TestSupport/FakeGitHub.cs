using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OnCall.TestSupport;

/// <summary>
/// GitHub's REST API for one repository's issues and labels, shaped as github.com answers:
/// <c>GET/POST /repos/{owner}/{repo}/issues</c> (<c>state</c>, <c>since</c>, <c>labels</c> filters; 201 with the issue),
/// <c>GET /repos/{owner}/{repo}/labels/{name}</c> (404 <c>{"message":"Not Found"}</c>), <c>POST /repos/{owner}/{repo}/labels</c>
/// (422 <c>already_exists</c> for a duplicate). Writes need <c>Authorization: token|Bearer &lt;token&gt;</c>.
/// </summary>
public sealed class FakeGitHub : FakeServer
{
    private readonly ConcurrentDictionary<int, JsonObject> _issues = new();
    private readonly ConcurrentDictionary<string, JsonObject> _labels = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private int _number;

    public string Token { get; } = "ghp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    public string Owner { get; } = "acme";

    public string Repo { get; } = "incidents";

    public IReadOnlyList<JsonObject> Issues => [.. _issues.Values.OrderBy(i => i["number"]!.GetValue<int>()).Select(i => i.DeepClone().AsObject())];

    public IReadOnlyCollection<string> Labels => [.. _labels.Keys];

    public Dictionary<string, string> Settings() => new()
    {
        ["OnCall:GitHub:BaseUrl"] = BaseAddress.AbsoluteUri,
        ["OnCall:GitHub:Token"] = Token,
        ["OnCall:GitHub:Owner"] = Owner,
        ["OnCall:GitHub:Repo"] = Repo,
    };

    /// <summary>Files an issue directly, as if an earlier attempt had done it.</summary>
    public JsonObject AddIssue(string title, string body) => Create(title, body, []);

    protected override void MapRoutes(WebApplication app)
    {
        var repo = app.MapGroup("/repos/{owner}/{repo}");
        repo.MapGet("/issues", (string owner, string repo, string? state, string? since, string? labels, HttpRequest request) =>
        {
            if (Refuse(owner, repo, request, write: false) is { } refused)
            {
                return refused;
            }

            var after = since is null ? DateTimeOffset.MinValue : DateTimeOffset.Parse(since, CultureInfo.InvariantCulture);
            var wanted = labels?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
            var list = _issues.Values
                .Where(i => (state ?? "open") == "all" || i["state"]!.GetValue<string>() == (state ?? "open"))
                .Where(i => DateTimeOffset.Parse(i["updated_at"]!.GetValue<string>(), CultureInfo.InvariantCulture) >= after)
                .Where(i => wanted.All(w => i["labels"]!.AsArray().Any(l => l!["name"]!.GetValue<string>() == w)))
                .OrderByDescending(i => i["number"]!.GetValue<int>())
                .Select(i => (JsonNode)i.DeepClone());
            return Results.Json(new JsonArray([.. list]));
        });

        repo.MapPost("/issues", async (string owner, string repo, HttpRequest request) =>
        {
            if (Refuse(owner, repo, request, write: true) is { } refused)
            {
                return refused;
            }

            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            if (body?["title"]?.GetValue<string>() is not { Length: > 0 } title)
            {
                return Validation("Issue", "title", "missing_field");
            }

            var labels = body["labels"] is JsonArray l ? l.Select(x => x!.GetValue<string>()).ToList() : [];
            return Results.Json(Create(title, body["body"]?.GetValue<string>() ?? "", labels), statusCode: 201);
        });

        repo.MapGet("/labels/{name}", (string owner, string repo, string name, HttpRequest request) =>
            Refuse(owner, repo, request, write: false)
            ?? (_labels.TryGetValue(name, out var label) ? Results.Json(label) : NotFound()));

        repo.MapPost("/labels", async (string owner, string repo, HttpRequest request) =>
        {
            if (Refuse(owner, repo, request, write: true) is { } refused)
            {
                return refused;
            }

            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            if (body?["name"]?.GetValue<string>() is not { Length: > 0 } name)
            {
                return Validation("Label", "name", "missing_field");
            }

            var label = Label(name, body["color"]?.GetValue<string>() ?? "ededed");
            return _labels.TryAdd(name, label) ? Results.Json(label, statusCode: 201) : Validation("Label", "name", "already_exists");
        });
    }

    private JsonObject Create(string title, string body, List<string> labels)
    {
        lock (_lock)
        {
            var number = ++_number;
            var now = Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var issue = new JsonObject
            {
                ["id"] = 1000 + number,
                ["node_id"] = $"I_kwDO{number:D6}",
                ["url"] = new Uri(BaseAddress, $"repos/{Owner}/{Repo}/issues/{number}").AbsoluteUri,
                ["html_url"] = $"https://github.com/{Owner}/{Repo}/issues/{number}",
                ["number"] = number,
                ["state"] = "open",
                ["title"] = title,
                ["body"] = body,
                ["user"] = new JsonObject { ["login"] = "oncall-bot", ["id"] = 1, ["type"] = "Bot" },
                ["labels"] = new JsonArray([.. labels.Select(n => (JsonNode)(_labels.TryGetValue(n, out var known) ? known.DeepClone() : Label(n, "ededed")))]),
                ["assignees"] = new JsonArray(),
                ["locked"] = false,
                ["comments"] = 0,
                ["created_at"] = now,
                ["updated_at"] = now,
                ["closed_at"] = null,
                ["author_association"] = "NONE",
            };
            _issues[number] = issue;
            return issue.DeepClone().AsObject();
        }
    }

    private JsonObject Label(string name, string color) => new()
    {
        ["id"] = 2000 + _labels.Count,
        ["node_id"] = $"LA_{name}",
        ["url"] = new Uri(BaseAddress, $"repos/{Owner}/{Repo}/labels/{Uri.EscapeDataString(name)}").AbsoluteUri,
        ["name"] = name,
        ["color"] = color,
        ["default"] = false,
        ["description"] = null,
    };

    private IResult? Refuse(string owner, string repo, HttpRequest request, bool write)
    {
        var authorization = request.Headers.Authorization.ToString();
        var authenticated = string.Equals(authorization, $"token {Token}", StringComparison.OrdinalIgnoreCase)
            || string.Equals(authorization, $"Bearer {Token}", StringComparison.OrdinalIgnoreCase);
        if (write && !authenticated)
        {
            return Results.Json(new JsonObject { ["message"] = "Requires authentication", ["documentation_url"] = "https://docs.github.com/rest" }, statusCode: 401);
        }

        return owner == Owner && repo == Repo ? null : NotFound();
    }

    private static IResult NotFound() =>
        Results.Json(new JsonObject { ["message"] = "Not Found", ["documentation_url"] = "https://docs.github.com/rest", ["status"] = "404" }, statusCode: 404);

    private static IResult Validation(string resource, string field, string code) =>
        Results.Json(
            new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["code"] = code, ["field"] = field }),
                ["documentation_url"] = "https://docs.github.com/rest",
                ["status"] = "422",
            },
            statusCode: 422);
}
