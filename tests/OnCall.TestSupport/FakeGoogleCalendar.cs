using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OnCall.TestSupport;

/// <summary>One call inside a batch (or a direct call) as the fake handled it.</summary>
public sealed record CalendarCall(string Method, string CalendarId, string? EventId, int Status);

/// <summary>
/// Google Calendar v3 on loopback. An OAuth token endpoint (<c>POST /token</c>) that accepts only a JWT bearer assertion
/// signed (RS256) with the private key of <see cref="ServiceAccountJson"/>; <c>events.list</c> with paging, sync tokens,
/// <c>showDeleted</c> and <c>privateExtendedProperty</c>; <c>events.insert</c> (409 on an existing id, a deleted one
/// included), <c>patch</c>, <c>delete</c> (410 when already deleted), and the multipart batch endpoint. Whole requests
/// are faulted with <see cref="FakeServer.Enqueue"/>, single calls in a batch with <see cref="EnqueueCallFault"/>.
/// </summary>
public sealed partial class FakeGoogleCalendar : FakeServer
{
    public const string ClientEmail = "oncall-sync@oncall-tests.iam.gserviceaccount.com";

    /// <summary>The key file's <c>private_key_id</c>.</summary>
    public const string KeyId = "fake-key-1";

    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private readonly ConcurrentQueue<(int Status, string Body)> _callFaults = new();
    private readonly List<CalendarCall> _calls = [];
    private readonly Dictionary<string, Dictionary<string, (JsonObject Event, long Seq)>> _calendars = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly HashSet<string> _denied = new(StringComparer.Ordinal);
    private long _seq;
    private long _syncTokensValidFrom;

    /// <summary>A service-account key file for this fake: its own RSA key, and <c>token_uri</c> pointing here.</summary>
    public string ServiceAccountJson => new JsonObject
    {
        ["type"] = "service_account",
        ["project_id"] = "oncall-tests",
        ["private_key_id"] = KeyId,
        ["private_key"] = _key.ExportPkcs8PrivateKeyPem() + "\n",
        ["client_email"] = ClientEmail,
        ["client_id"] = "1234567890",
        ["token_uri"] = new Uri(BaseAddress, "token").AbsoluteUri,
    }.ToJsonString();

    /// <summary>Access tokens issued so far.</summary>
    public IReadOnlyCollection<string> AccessTokens => [.. _tokens.Keys];

    /// <summary>Every insert, patch and delete handled, batched or not, in order.</summary>
    public IReadOnlyList<CalendarCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Requests to the Calendar API (lists and batches), the token endpoint left out.</summary>
    public IReadOnlyList<RecordedRequest> ApiRequests => [.. Requests.Where(r => r.Path != "/token")];

    /// <summary>The next <paramref name="times"/> calls inside batches answer <paramref name="status"/> with a Google error body of <paramref name="reason"/>.</summary>
    public void EnqueueCallFault(int status, string reason, int times = 1)
    {
        var body = ErrorBody(status, reason, reason == "rateLimitExceeded" ? "usageLimits" : "global");
        for (var i = 0; i < times; i++)
        {
            _callFaults.Enqueue((status, body));
        }
    }

    /// <summary>Forgets call faults not used yet.</summary>
    public void ClearCallFaults() => _callFaults.Clear();

    /// <summary>The service account loses access to <paramref name="calendarId"/>: every call there answers 403 <c>requiredAccessLevel</c>.</summary>
    public void DenyCalendar(string calendarId)
    {
        lock (_lock)
        {
            _denied.Add(calendarId);
        }
    }

    /// <summary>Every sync token issued so far answers 410 from now on.</summary>
    public void ExpireSyncTokens()
    {
        lock (_lock)
        {
            _syncTokensValidFrom = _seq + 1;
        }
    }

    /// <summary>The events of a calendar that are not deleted, by id.</summary>
    public IReadOnlyDictionary<string, JsonObject> EventsIn(string calendarId)
    {
        lock (_lock)
        {
            return Calendar(calendarId).Values
                .Where(e => e.Event["status"]?.GetValue<string>() != "cancelled")
                .ToDictionary(e => e.Event["id"]!.GetValue<string>(), e => (JsonObject)e.Event.DeepClone(), StringComparer.Ordinal);
        }
    }

    /// <summary>Someone edits an event in the Google Calendar UI.</summary>
    public void EditByHand(string calendarId, string eventId, Action<JsonObject> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        lock (_lock)
        {
            var calendar = Calendar(calendarId);
            var (e, _) = calendar[eventId];
            edit(e);
            calendar[eventId] = (e, ++_seq);
        }
    }

    /// <summary>Someone deletes an event in the Google Calendar UI (Google keeps it, cancelled).</summary>
    public void DeleteByHand(string calendarId, string eventId) => EditByHand(calendarId, eventId, e => e["status"] = "cancelled");

    /// <summary>An event someone else created in the same calendar, with no properties of ours.</summary>
    public string AddForeignEvent(string calendarId, string summary, DateTimeOffset start, DateTimeOffset end)
    {
        var id = "foreign" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        lock (_lock)
        {
            Calendar(calendarId)[id] = (new JsonObject
            {
                ["kind"] = "calendar#event",
                ["id"] = id,
                ["status"] = "confirmed",
                ["summary"] = summary,
                ["start"] = new JsonObject { ["dateTime"] = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) },
                ["end"] = new JsonObject { ["dateTime"] = end.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) },
            }, ++_seq);
        }

        return id;
    }

    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var problem = form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" ? "grant_type" : AssertionProblem(form["assertion"].ToString());
            if (problem is not null)
            {
                return Results.Json(new { error = "invalid_grant", error_description = $"Invalid JWT: {problem}." }, statusCode: 400);
            }

            var token = "ya29.fake-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _tokens[token] = true;
            return Results.Json(new { access_token = token, expires_in = 3599, token_type = "Bearer" });
        });

        app.MapGet("/calendar/v3/calendars/{calendarId}/events", (string calendarId, HttpRequest request) =>
            Authorized(request) ?? Answer(List(calendarId, request.Query)));

        app.MapPost("/calendar/v3/calendars/{calendarId}/events", async (string calendarId, HttpRequest request) =>
            Authorized(request) ?? Answer(Handle("POST", calendarId, null, await new StreamReader(request.Body).ReadToEndAsync())));

        app.MapMethods("/calendar/v3/calendars/{calendarId}/events/{eventId}", ["PATCH", "DELETE"], async (string calendarId, string eventId, HttpRequest request) =>
            Authorized(request) ?? Answer(Handle(request.Method, calendarId, eventId, await new StreamReader(request.Body).ReadToEndAsync())));

        app.MapPost("/batch/calendar/v3", async (HttpRequest request) =>
        {
            if (Authorized(request) is { } denied)
            {
                return denied;
            }

            var boundary = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(
                Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(request.ContentType ?? "text/plain").Boundary).ToString();
            if (string.IsNullOrEmpty(boundary))
            {
                return Answer((400, ErrorBody(400, "badRequest", "global")));
            }

            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var answer = new StringBuilder();
            const string ResponseBoundary = "batch_fake_answer";
            foreach (var part in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("--" + boundary))
            {
                var text = part.TrimStart('\n');
                if (text.Length == 0 || text.StartsWith("--", StringComparison.Ordinal))
                {
                    continue;
                }

                var (head, http) = SplitHead(text);
                if (!head.Contains("Content-Type: application/http", StringComparison.OrdinalIgnoreCase))
                {
                    return Answer((400, ErrorBody(400, "badContent", "global")));
                }

                var contentId = ContentId().Match(head).Groups[1].Value;
                var (requestHead, json) = SplitHead(http);
                var line = requestHead.Split('\n')[0].Split(' ');
                var path = new Uri(new Uri("http://fake"), line[1]);
                var match = EventPath().Match(path.AbsolutePath);
                var (status, payload) = _callFaults.TryDequeue(out var fault)
                    ? fault
                    : match.Success
                        ? Handle(line[0], Uri.UnescapeDataString(match.Groups[1].Value), match.Groups[2].Success ? Uri.UnescapeDataString(match.Groups[2].Value) : null, json.Trim())
                        : (404, ErrorBody(404, "notFound", "global"));
                answer.Append("--").Append(ResponseBoundary).Append("\r\n")
                    .Append("Content-Type: application/http\r\n")
                    .Append("Content-ID: <response-").Append(contentId).Append(">\r\n\r\n")
                    .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {(status < 300 ? "OK" : "Error")}\r\n")
                    .Append("Content-Type: application/json; charset=UTF-8\r\n\r\n")
                    .Append(payload).Append("\r\n");
            }

            answer.Append("--").Append(ResponseBoundary).Append("--\r\n");
            return Results.Text(answer.ToString(), $"multipart/mixed; boundary={ResponseBoundary}");
        });
    }

    /// <summary>What is wrong with the assertion, or null: RS256, signed by our key, from our client, for this endpoint, asking for Calendar.</summary>
    private string? AssertionProblem(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return "not a JWT";
        }

        var header = JsonNode.Parse(Base64Url(parts[0]));
        var claims = JsonNode.Parse(Base64Url(parts[1]));
        if (header?["alg"]?.GetValue<string>() != "RS256")
        {
            return "alg";
        }

        if (!_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return "signature";
        }

        if (claims?["iss"]?.GetValue<string>() != ClientEmail)
        {
            return "iss";
        }

        // Google wants its own token endpoint as the audience, whichever token_uri the assertion is posted to.
        if (claims?["aud"]?.GetValue<string>() is not ("https://oauth2.googleapis.com/token" or "https://www.googleapis.com/oauth2/v4/token"))
        {
            return $"aud {claims?["aud"]}";
        }

        if (header?["kid"] is { } kid && kid.GetValue<string>() != KeyId)
        {
            return "kid";
        }

        // At most an hour after it was issued (the clocks are the tests', so the times themselves are not checked).
        var lifetime = claims?["exp"]?.GetValue<long>() - claims?["iat"]?.GetValue<long>();
        if (lifetime is not (> 0 and <= 3600))
        {
            return "exp";
        }

        return claims?["scope"]?.GetValue<string>()?.Contains("https://www.googleapis.com/auth/calendar", StringComparison.Ordinal) == true ? null : "scope";
    }

    private IResult? Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && _tokens.ContainsKey(header["Bearer ".Length..])
            ? null
            : Answer((401, ErrorBody(401, "authError", "global")));
    }

    private (int Status, string Body) List(string calendarId, IQueryCollection query)
    {
        lock (_lock)
        {
            if (_denied.Contains(calendarId))
            {
                return (403, ErrorBody(403, "requiredAccessLevel", "global"));
            }

            var syncToken = query["syncToken"].ToString();
            var filters = query["privateExtendedProperty"].Select(f => f!.Split('=', 2)).ToList();
            if (syncToken.Length > 0 && filters.Count > 0)
            {
                return (400, ErrorBody(400, "syncTokenWithRequestRestrictions", "global"));
            }

            long since = 0;
            if (syncToken.Length > 0)
            {
                since = long.Parse(syncToken["st-".Length..], CultureInfo.InvariantCulture);
                if (since < _syncTokensValidFrom - 1)
                {
                    return (410, ErrorBody(410, "fullSyncRequired", "calendar"));
                }
            }

            var pageToken = query["pageToken"].ToString();
            var (offset, snapshot) = pageToken.Length > 0
                ? (int.Parse(pageToken.Split('-')[1], CultureInfo.InvariantCulture), long.Parse(pageToken.Split('-')[2], CultureInfo.InvariantCulture))
                : (0, _seq);
            var showDeleted = syncToken.Length > 0 || query["showDeleted"] == "true";
            var max = int.TryParse(query["maxResults"], CultureInfo.InvariantCulture, out var m) ? Math.Min(m, 2500) : 250;
            var matching = Calendar(calendarId).Values
                .Where(e => e.Seq > since && e.Seq <= snapshot)
                .Where(e => showDeleted || e.Event["status"]?.GetValue<string>() != "cancelled")
                .Where(e => filters.All(f => e.Event["extendedProperties"]?["private"]?[f[0]]?.GetValue<string>() == (f.Length > 1 ? f[1] : "")))
                .OrderBy(e => e.Seq)
                .ToList();
            var page = matching.Skip(offset).Take(max).ToList();
            var result = new JsonObject
            {
                ["kind"] = "calendar#events",
                ["items"] = new JsonArray([.. page.Select(e => Listed(e.Event))]),
            };
            if (offset + max < matching.Count)
            {
                result["nextPageToken"] = $"p-{offset + max}-{snapshot}";
            }
            else
            {
                result["nextSyncToken"] = $"st-{snapshot}";
            }

            return (200, result.ToJsonString());
        }
    }

    /// <summary>A listed event; a deleted one comes back as Google sends it in a sync, with little more than its id and status.</summary>
    private static JsonNode Listed(JsonObject e) =>
        e["status"]?.GetValue<string>() == "cancelled"
            ? new JsonObject { ["kind"] = "calendar#event", ["id"] = e["id"]!.GetValue<string>(), ["status"] = "cancelled" }
            : e.DeepClone();

    private (int Status, string Body) Handle(string method, string calendarId, string? eventId, string json)
    {
        lock (_lock)
        {
            var calendar = Calendar(calendarId);
            (int, string) result;
            switch (method)
            {
                case var _ when _denied.Contains(calendarId):
                    result = (403, ErrorBody(403, "requiredAccessLevel", "global"));
                    break;
                case "POST":
                {
                    var e = JsonNode.Parse(json)!.AsObject();
                    var id = e["id"]?.GetValue<string>() ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
                    eventId = id;
                    if (!EventId().IsMatch(id))
                    {
                        result = (400, ErrorBody(400, "invalid", "global"));
                    }
                    else if (calendar.ContainsKey(id))
                    {
                        result = (409, ErrorBody(409, "duplicate", "global"));
                    }
                    else
                    {
                        e["id"] = id;
                        e["kind"] = "calendar#event";
                        e["status"] ??= "confirmed";
                        calendar[id] = (e, ++_seq);
                        result = (200, e.ToJsonString());
                    }

                    break;
                }

                case "PATCH" when calendar.TryGetValue(eventId!, out var existing):
                {
                    foreach (var (name, value) in JsonNode.Parse(json)!.AsObject())
                    {
                        existing.Event[name] = value?.DeepClone();
                    }

                    calendar[eventId!] = (existing.Event, ++_seq);
                    result = (200, existing.Event.ToJsonString());
                    break;
                }

                case "DELETE" when calendar.TryGetValue(eventId!, out var existing):
                    if (existing.Event["status"]?.GetValue<string>() == "cancelled")
                    {
                        result = (410, ErrorBody(410, "deleted", "global"));
                    }
                    else
                    {
                        existing.Event["status"] = "cancelled";
                        calendar[eventId!] = (existing.Event, ++_seq);
                        result = (204, "");
                    }

                    break;
                default:
                    result = (404, ErrorBody(404, "notFound", "global"));
                    break;
            }

            _calls.Add(new CalendarCall(method, calendarId, eventId, result.Item1));
            return result;
        }
    }

    private Dictionary<string, (JsonObject Event, long Seq)> Calendar(string calendarId)
    {
        if (!_calendars.TryGetValue(calendarId, out var calendar))
        {
            calendar = new Dictionary<string, (JsonObject, long)>(StringComparer.Ordinal);
            _calendars[calendarId] = calendar;
        }

        return calendar;
    }

    private static IResult Answer((int Status, string Body) answer) =>
        answer.Status == 204 ? Results.StatusCode(204) : Results.Text(answer.Body, "application/json; charset=UTF-8", statusCode: answer.Status);

    private static string ErrorBody(int status, string reason, string domain) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["domain"] = domain, ["reason"] = reason, ["message"] = reason }),
            ["code"] = status,
            ["message"] = reason,
        },
    }.ToJsonString();

    private static (string Head, string Tail) SplitHead(string text)
    {
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        return end < 0 ? (text, "") : (text[..end], text[(end + 2)..]);
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    [GeneratedRegex("^[a-v0-9]{5,1024}$")]
    private static partial Regex EventId();

    [GeneratedRegex(@"Content-ID:\s*<([^>]+)>", RegexOptions.IgnoreCase)]
    private static partial Regex ContentId();

    [GeneratedRegex("^/calendar/v3/calendars/([^/]+)/events(?:/([^/]+))?$")]
    private static partial Regex EventPath();
}
