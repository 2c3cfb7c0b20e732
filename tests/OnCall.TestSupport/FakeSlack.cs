using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OnCall.TestSupport;

/// <summary>
/// Slack incoming webhooks: <c>POST /services/{team}/{bot}/{token}</c> with a JSON message answers <c>200</c>
/// <c>ok</c> (text/plain); an unknown webhook <c>404 no_service</c>; a body that is not a JSON object
/// <c>400 invalid_payload</c>; neither text nor blocks <c>400 no_text</c>; malformed blocks <c>400 invalid_blocks</c>.
/// Rate limits (<c>429</c> with <c>Retry-After</c>) and outages are injected with <see cref="FakeServer.Enqueue"/>.
/// </summary>
public sealed class FakeSlack : FakeServer
{
    private const int HeaderTextLimit = 150;

    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private readonly ConcurrentQueue<(string Token, JsonObject Message)> _messages = new();
    private readonly string _token;

    public FakeSlack()
    {
        _token = NewToken();
    }

    /// <summary>The workspace's webhook, secret token in the path as in <c>https://hooks.slack.com/services/T…/B…/…</c>.</summary>
    public Uri WebhookUrl => UrlFor(_token);

    /// <summary>The secret part of <see cref="WebhookUrl"/>.</summary>
    public string WebhookToken => _token;

    /// <summary>Messages accepted so far, in order.</summary>
    public IReadOnlyList<JsonObject> Messages => [.. _messages.Select(m => m.Message)];

    /// <summary>Another valid webhook (another channel, e.g. a rotation's own).</summary>
    public Uri CreateWebhook() => UrlFor(NewToken());

    /// <summary>Messages accepted at the webhook <paramref name="url"/>.</summary>
    public IReadOnlyList<JsonObject> MessagesAt(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var token = url.Segments[^1];
        return [.. _messages.Where(m => m.Token == token).Select(m => m.Message)];
    }

    protected override void MapRoutes(WebApplication app) =>
        app.MapPost("/services/{team}/{bot}/{token}", async (string token, HttpRequest request) =>
        {
            if (!_tokens.ContainsKey(token))
            {
                return Error(StatusCodes.Status404NotFound, "no_service");
            }

            JsonObject? message;
            try
            {
                message = await JsonNode.ParseAsync(request.Body) as JsonObject;
            }
            catch (JsonException)
            {
                message = null;
            }

            if (message is null)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_payload");
            }

            var hasText = message["text"] is JsonValue text && text.TryGetValue<string>(out var s) && s.Length > 0;
            if (!hasText && message["blocks"] is null)
            {
                return Error(StatusCodes.Status400BadRequest, "no_text");
            }

            if (message["blocks"] is { } blocks && !BlocksAreValid(blocks))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_blocks");
            }

            _messages.Enqueue((token, message));
            return Results.Text("ok", "text/plain", statusCode: StatusCodes.Status200OK);
        });

    private static bool BlocksAreValid(JsonNode blocks) =>
        blocks is JsonArray array && array.All(block =>
            block is JsonObject o
            && o["type"] is JsonValue type && type.TryGetValue<string>(out var kind)
            && (kind != "header" || (o["text"]?["type"]?.GetValue<string>() == "plain_text"
                && o["text"]?["text"]?.GetValue<string>() is { Length: > 0 and <= HeaderTextLimit })));

    private static IResult Error(int status, string code) => Results.Text(code, "text/plain", statusCode: status);

    private Uri UrlFor(string token) => new(BaseAddress, $"services/T0FAKE0001/B0FAKE0001/{token}");

    private string NewToken()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _tokens[token] = true;
        return token;
    }
}
