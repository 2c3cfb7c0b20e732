using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OnCall.TestSupport;

/// <summary>One message the fake topic accepted.</summary>
public sealed record ServiceBusMessage(string MessageId, string? Label, string ContentType, JsonNode Body);

/// <summary>
/// A Service Bus namespace's REST send endpoint: <c>POST /{topic}/messages</c> answers <c>201</c> when the
/// <c>Authorization</c> header is a SAS token that checks out as Service Bus documents it (key name, expiry, the
/// signature recomputed here over the token's own URL-encoded <c>sr</c>, a newline and <c>se</c>, and an <c>sr</c>
/// that covers the topic), <c>401</c> otherwise; an unknown topic is <c>404</c>. The topic has duplicate detection on:
/// a repeated <c>BrokerProperties</c> <c>MessageId</c> is answered <c>201</c> and dropped, as the service does.
/// </summary>
public sealed class FakeServiceBus(TimeProvider? clock = null) : FakeServer
{
    public const string Host = "oncall-test.servicebus.windows.net";
    public const string KeyName = "RootManageSharedAccessKey";
    public const string Topic = "oncall-events";

    private readonly ConcurrentQueue<ServiceBusMessage> _messages = new();
    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);
    private int _duplicates;

    /// <summary>The namespace's key (base64, as the portal shows one).</summary>
    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A connection string as the portal gives it; requests go to <see cref="FakeServer.BaseAddress"/>.</summary>
    public string ConnectionString => $"Endpoint=sb://{Host}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key}";

    /// <summary>Messages accepted, duplicates dropped, in order.</summary>
    public IReadOnlyList<ServiceBusMessage> Messages => [.. _messages];

    /// <summary>How many sends duplicate detection dropped.</summary>
    public int Duplicates => Volatile.Read(ref _duplicates);

    protected override TimeProvider Clock => clock ?? TimeProvider.System;

    /// <summary>The settings that point the app at this namespace.</summary>
    public Dictionary<string, string> Settings(string? connectionString = null) => new()
    {
        ["OnCall:ServiceBus:ConnectionString"] = connectionString ?? ConnectionString,
        ["OnCall:ServiceBus:Topic"] = Topic,
        ["OnCall:ServiceBus:BaseUrl"] = BaseAddress.AbsoluteUri,
    };

    protected override void MapRoutes(WebApplication app) =>
        app.MapPost("/{topic}/messages", async (string topic, HttpRequest request) =>
        {
            if (!topic.Equals(Topic, StringComparison.OrdinalIgnoreCase))
            {
                return Error(StatusCodes.Status404NotFound, $"The messaging entity '{Host}/{topic}' could not be found.");
            }

            if (Unauthorized(request.Headers.Authorization.ToString(), topic) is { } reason)
            {
                return Error(StatusCodes.Status401Unauthorized, reason);
            }

            JsonObject? properties;
            try
            {
                properties = JsonNode.Parse(request.Headers["BrokerProperties"].ToString() is { Length: > 0 } p ? p : "{}") as JsonObject;
            }
            catch (JsonException)
            {
                return Error(StatusCodes.Status400BadRequest, "The value for the BrokerProperties header is not valid JSON.");
            }

            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync();
            var messageId = properties?["MessageId"]?.GetValue<string>() ?? Guid.NewGuid().ToString("N");
            if (!_seen.TryAdd(messageId, true))
            {
                Interlocked.Increment(ref _duplicates);
                return Results.StatusCode(StatusCodes.Status201Created);
            }

            JsonNode body;
            try
            {
                body = JsonNode.Parse(text) ?? JsonValue.Create(text);
            }
            catch (JsonException)
            {
                body = JsonValue.Create(text);
            }

            _messages.Enqueue(new ServiceBusMessage(messageId, properties?["Label"]?.GetValue<string>(), request.ContentType ?? "", body));
            return Results.StatusCode(StatusCodes.Status201Created);
        });

    /// <summary>Why the token is refused, or null when it is good for <paramref name="topic"/>.</summary>
    private string? Unauthorized(string authorization, string topic)
    {
        const string scheme = "SharedAccessSignature ";
        if (!authorization.StartsWith(scheme, StringComparison.Ordinal))
        {
            return "MissingToken: The authorization header was not found.";
        }

        // The fields as sent: sr stays URL-encoded, because the signature is computed over the encoded form.
        var fields = authorization[scheme.Length..].Split('&')
            .Select(f => f.Split('=', 2))
            .Where(f => f.Length == 2)
            .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("sr", out var sr) || !fields.TryGetValue("sig", out var sig)
            || !fields.TryGetValue("se", out var se) || !fields.TryGetValue("skn", out var skn))
        {
            return "InvalidToken: The token must carry sr, sig, se and skn.";
        }

        if (skn != KeyName)
        {
            return "InvalidSignature: The token has an unknown key name.";
        }

        if (!long.TryParse(se, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || expiry <= Clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return "ExpiredToken: The token is expired.";
        }

        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes(sr + "\n" + se)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(HttpUtility.UrlDecode(sig))))
        {
            return "InvalidSignature: The token has an invalid signature.";
        }

        // A token for the namespace covers every entity in it; one for another entity does not.
        var resource = HttpUtility.UrlDecode(sr).TrimEnd('/');
        var entity = $"https://{Host}/{topic}";
        return entity.StartsWith(resource, StringComparison.OrdinalIgnoreCase) && (entity.Length == resource.Length || entity[resource.Length] == '/')
            ? null
            : "InvalidAudience: The token's resource does not cover this entity.";
    }

    private static IResult Error(int status, string detail) =>
        Results.Text($"<Error><Code>{status}</Code><Detail>{detail}</Detail></Error>", "application/xml; charset=utf-8", statusCode: status);
}
