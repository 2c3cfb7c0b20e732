using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OnCall.TestSupport;

/// <summary>
/// A Teams Workflows webhook (Power Automate's "When a Teams webhook request is received" trigger):
/// <c>POST /workflows/{id}/triggers/manual/paths/invoke?api-version=1&amp;sp=…&amp;sv=1.0&amp;sig=…</c> answers
/// <c>202 Accepted</c> with no body; the card is posted later, so a bad card is not the caller's error. An unknown
/// workflow gets <c>404</c>, a missing or wrong <c>sig</c> <c>401</c>, a body that is not JSON <c>400</c>, each with a
/// JSON <c>{"error":{"code":…,"message":…}}</c> as Logic Apps answers.
/// </summary>
public sealed class FakeTeams : FakeServer
{
    private readonly ConcurrentQueue<JsonObject> _messages = new();

    /// <summary>The workflow's id in the path.</summary>
    public string WorkflowId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The secret shared-access signature in the query.</summary>
    public string Signature { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public Uri WebhookUrl => new(
        BaseAddress,
        $"workflows/{WorkflowId}/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={Signature}");

    /// <summary>Messages accepted so far, in order.</summary>
    public IReadOnlyList<JsonObject> Messages => [.. _messages];

    protected override void MapRoutes(WebApplication app) =>
        app.MapPost("/workflows/{workflowId}/triggers/manual/paths/invoke", async (string workflowId, HttpRequest request) =>
        {
            if (workflowId != WorkflowId)
            {
                return Error(StatusCodes.Status404NotFound, "WorkflowNotFound", "The workflow could not be found.");
            }

            string? sig = request.Query["sig"];
            if (string.IsNullOrEmpty(sig))
            {
                return Error(StatusCodes.Status401Unauthorized, "DirectApiAuthorizationRequired", "The request must be authenticated.");
            }

            if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(sig), System.Text.Encoding.UTF8.GetBytes(Signature)))
            {
                return Error(StatusCodes.Status401Unauthorized, "DirectApiInvalidAuthorizationSignature", "The provided signature is not valid.");
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
                return Error(StatusCodes.Status400BadRequest, "InvalidRequestContent", "The request content is not valid JSON.");
            }

            _messages.Enqueue(message);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);
}
