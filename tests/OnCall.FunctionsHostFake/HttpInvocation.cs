using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace OnCall.FunctionsHostFake;

/// <summary>
/// One HTTP request to an HTTP-triggered function, seen as the host sees it: the request the host received, the route
/// values its router matched, the binding data the HTTP trigger builds from it (WebJobs.Extensions.Http
/// HttpTriggerAttributeBindingProvider.GetRequestBindingData), and the forwarding to the worker (DefaultHttpProxyService,
/// YARP's HttpTransformer.Default).
/// </summary>
internal sealed partial class HttpInvocation
{
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private readonly HttpRequestMessage _request;
    private readonly Uri _uri;
    private readonly Dictionary<string, string> _routeValues;
    private byte[] _body = [];

    private HttpInvocation(HttpRequestMessage request, Uri uri, Dictionary<string, string> routeValues)
    {
        _request = request;
        _uri = uri;
        _routeValues = routeValues;
    }

    /// <summary>A W3C traceparent the client sent, which the host's request Activity would continue.</summary>
    public string? TraceParent => _request.Headers.TryGetValues("traceparent", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    public static HttpInvocation Prepare(IndexedFunction function, FunctionBinding trigger, HttpRequestMessage request, IReadOnlyDictionary<string, string>? routeValues, Uri hostBaseAddress, string routePrefix)
    {
        Uri uri = request.RequestUri is null ? hostBaseAddress
            : request.RequestUri.IsAbsoluteUri ? request.RequestUri
            : new Uri(hostBaseAddress, request.RequestUri);

        string[]? methods = ReadMethods(trigger.GetProperty("methods"));
        if (methods is not null && !methods.Contains(request.Method.Method, StringComparer.OrdinalIgnoreCase))
        {
            throw new FakeFunctionsHostException($"Function '{function.Name}' accepts {string.Join(", ", methods)}, not {request.Method}: the host would not route this request to it.");
        }

        string route = trigger.GetProperty("route") is { Length: > 0 } r ? r : function.Name;
        string template = string.IsNullOrEmpty(routePrefix) ? route : routePrefix.Trim('/') + "/" + route.TrimStart('/');
        Dictionary<string, string> values;
        if (routeValues is not null)
        {
            values = new Dictionary<string, string>(routeValues, StringComparer.OrdinalIgnoreCase);
        }
        else
        {
            values = MatchRoute(template, uri.AbsolutePath)
                ?? throw new FakeFunctionsHostException($"'{uri.AbsolutePath}' does not match function '{function.Name}''s route '{template}'; pass route values to invoke it anyway.");
        }

        return new HttpInvocation(request, uri, values);
    }

    public async Task ReadBodyAsync(CancellationToken ct)
    {
        if (_request.Content is not null)
        {
            _body = await _request.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>HttpTriggerBinding.GetBindingData, then the invocation arguments ("req") and what the host skips.</summary>
    public Dictionary<string, TypedData> BindingData(IReadOnlyDictionary<string, string> capabilities)
    {
        var data = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase);

        // The HttpRequest itself ("$request", and "req" from the host's invocation arguments) is left out when the worker
        // declares RpcHttpTriggerMetadataRemoved (ScriptInvocationContextExtensions.ShouldSkipBindingData).
        bool keepRequest = !capabilities.ContainsKey("RpcHttpTriggerMetadataRemoved");
        if (keepRequest)
        {
            data["$request"] = ProxiedRpcHttp(capabilities);
        }

        // GetRequestBindingData: JSON body properties, query parameters (not "code"), route values, then Query and Headers.
        if (_body.Length > 0)
        {
            HostConversions.ApplyBindingData(Encoding.UTF8.GetString(_body), data);
        }

        Dictionary<string, string> query = QueryLastWins();
        foreach ((string key, string value) in query)
        {
            if (!key.Equals("code", StringComparison.OrdinalIgnoreCase))
            {
                data[key] = HostConversions.String(value);
            }
        }

        foreach ((string key, string value) in _routeValues)
        {
            data[key] = HostConversions.String(value);
        }

        data.TryAdd("Query", HostConversions.JsonDictionary(query));
        data.TryAdd("Headers", HostConversions.JsonDictionary(ReceivedHeaders()));

        if (keepRequest)
        {
            data["req"] = ProxiedRpcHttp(capabilities);
        }

        return data;
    }

    /// <summary>
    /// GrpcMessageConversionExtensions.ToRpcHttp when proxying: an RpcHttp with only the route parameters when the worker
    /// sets RequiresRouteParameters, otherwise an empty RpcHttp.
    /// </summary>
    public TypedData ProxiedRpcHttp(IReadOnlyDictionary<string, string> capabilities)
    {
        var http = new RpcHttp();
        if (capabilities.ContainsKey("RequiresRouteParameters"))
        {
            AddParams(http, capabilities);
        }

        return new TypedData { Http = http };
    }

    /// <summary>GrpcMessageConversionExtensions.ToRpcHttp without proxying: the whole request in the gRPC message.</summary>
    public TypedData FullRpcHttp(IReadOnlyDictionary<string, string> capabilities)
    {
        bool nullable = capabilities.ContainsKey("UseNullableValueDictionaryForHttp");
        var http = new RpcHttp { Url = _uri.GetLeftPart(UriPartial.Path) + _uri.Query, Method = _request.Method.Method };
        foreach ((string key, string value) in QueryJoined())
        {
            if (nullable)
            {
                http.NullableQuery[key] = new NullableString { Value = value };
            }
            else if (value.Length > 0)
            {
                http.Query[key] = value;
            }
        }

        foreach ((string key, string value) in ReceivedHeaders())
        {
            if (nullable)
            {
                http.NullableHeaders[key.ToLowerInvariant()] = new NullableString { Value = value };
            }
            else if (!(capabilities.ContainsKey("IgnoreEmptyValuedRpcHttpHeaders") && value.Length == 0))
            {
                http.Headers[key.ToLowerInvariant()] = value;
            }
        }

        AddParams(http, capabilities);
        if (_body.Length > 0)
        {
            string? mediaType = _request.Content?.Headers.ContentType?.MediaType;
            bool binary = mediaType is not null && (mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase) || mediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase));
            bool rawBytes = capabilities.ContainsKey("RawHttpBodyBytes");
            if (capabilities.ContainsKey("RpcHttpBodyOnly"))
            {
                http.Body = binary || rawBytes ? HostConversions.Bytes(_body) : HostConversions.String(Encoding.UTF8.GetString(_body));
            }
            else
            {
                string text = Encoding.UTF8.GetString(_body);
                http.Body = binary ? HostConversions.Bytes(_body) : HostConversions.String(text);
                http.RawBody = rawBytes ? HostConversions.Bytes(_body) : HostConversions.String(text);
            }
        }

        return new TypedData { Http = http };
    }

    /// <summary>
    /// The request as YARP forwards it to the worker (HttpTransformer.Default): same method, path and query against the
    /// worker's HttpUri, every header but hop-by-hop ones and Host, X-Forwarded-For/Proto/Host set, plus x-ms-invocation-id
    /// (ScriptConstants.HttpProxyCorrelationHeader, added with TryAdd by DefaultHttpProxyService.StartForwarding).
    /// </summary>
    public HttpRequestMessage ToForwardedRequest(Uri workerUri, string invocationId)
    {
        var target = new Uri(workerUri, _uri.PathAndQuery);
        var forwarded = new HttpRequestMessage(_request.Method, target) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        foreach (KeyValuePair<string, IEnumerable<string>> header in _request.Headers)
        {
            if (!HopByHopHeaders.Contains(header.Key) && !header.Key.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase))
            {
                forwarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        forwarded.Headers.TryAddWithoutValidation("X-Forwarded-For", "127.0.0.1");
        forwarded.Headers.TryAddWithoutValidation("X-Forwarded-Proto", _uri.Scheme);
        forwarded.Headers.TryAddWithoutValidation("X-Forwarded-Host", _uri.Authority);
        if (!forwarded.Headers.Contains("x-ms-invocation-id"))
        {
            forwarded.Headers.TryAddWithoutValidation("x-ms-invocation-id", invocationId);
        }

        if (_request.Content is not null)
        {
            var content = new ByteArrayContent(_body);
            foreach (KeyValuePair<string, IEnumerable<string>> header in _request.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            forwarded.Content = content;
        }

        return forwarded;
    }

    /// <summary>Without proxying, the worker returns the response as an RpcHttp in return_value or the "$return" output.</summary>
    public static HttpResponseMessage ResponseFromRpc(InvocationResponse? response, InvocationResult result)
    {
        TypedData? data = response?.ReturnValue;
        if (data?.DataCase != TypedData.DataOneofCase.Http)
        {
            data = response?.OutputData.FirstOrDefault(o => o.Name == "$return" && o.Data?.DataCase == TypedData.DataOneofCase.Http)?.Data;
        }

        if (data?.Http is not { } http)
        {
            return new HttpResponseMessage(result.Succeeded ? HttpStatusCode.NoContent : HttpStatusCode.InternalServerError);
        }

        var message = new HttpResponseMessage(int.TryParse(http.StatusCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out int code) ? (HttpStatusCode)code : HttpStatusCode.OK);
        byte[] body = http.Body?.DataCase switch
        {
            TypedData.DataOneofCase.Bytes => http.Body.Bytes.ToByteArray(),
            TypedData.DataOneofCase.Stream => http.Body.Stream.ToByteArray(),
            TypedData.DataOneofCase.String => Encoding.UTF8.GetBytes(http.Body.String),
            TypedData.DataOneofCase.Json => Encoding.UTF8.GetBytes(http.Body.Json),
            _ => [],
        };
        message.Content = new ByteArrayContent(body);
        foreach ((string key, string value) in http.Headers.Concat(http.NullableHeaders.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.Value))))
        {
            if (!message.Headers.TryAddWithoutValidation(key, value))
            {
                message.Content.Headers.TryAddWithoutValidation(key, value);
            }
        }

        return message;
    }

    public static string? ReadRoutePrefix(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return TryGet(document.RootElement, "extensions", out JsonElement extensions)
            && TryGet(extensions, "http", out JsonElement http)
            && TryGet(http, "routePrefix", out JsonElement prefix)
            && prefix.ValueKind == JsonValueKind.String
                ? prefix.GetString()
                : null;
    }

    /// <summary>Matches a route template (literals, {name}, {name?}, {name:constraint}, {name=default}, {*rest}) against a path.</summary>
    internal static Dictionary<string, string>? MatchRoute(string template, string path)
    {
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pattern = new StringBuilder("^/?");
        string[] segments = template.Trim('/').Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            Match whole = Parameter().Match(segment);
            bool optional = whole.Success && whole.Value == segment && (whole.Groups["optional"].Success || whole.Groups["default"].Success || whole.Groups["catchall"].Success);
            string separator = i == 0 ? "" : "/";
            if (optional)
            {
                pattern.Append("(?:").Append(separator).Append(SegmentPattern(segment, defaults)).Append(")?");
            }
            else
            {
                pattern.Append(separator).Append(SegmentPattern(segment, defaults));
            }
        }

        pattern.Append("/?$");
        Match match = Regex.Match(path, pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Group group in match.Groups)
        {
            if (group.Success && !int.TryParse(group.Name, NumberStyles.None, CultureInfo.InvariantCulture, out _) && group.Value.Length > 0)
            {
                values[group.Name] = Uri.UnescapeDataString(group.Value);
            }
        }

        foreach ((string name, string value) in defaults)
        {
            values.TryAdd(name, value);
        }

        return values;
    }

    private static string SegmentPattern(string segment, Dictionary<string, string> defaults)
    {
        var builder = new StringBuilder();
        int position = 0;
        foreach (Match parameter in Parameter().Matches(segment))
        {
            builder.Append(Regex.Escape(segment[position..parameter.Index]));
            string name = parameter.Groups["name"].Value;
            if (parameter.Groups["default"].Success)
            {
                defaults[name] = parameter.Groups["default"].Value;
            }

            builder.Append("(?<").Append(name).Append('>').Append(parameter.Groups["catchall"].Success ? ".*" : "[^/]+").Append(')');
            position = parameter.Index + parameter.Length;
        }

        builder.Append(Regex.Escape(segment[position..]));
        return builder.ToString();
    }

    private static string[]? ReadMethods(string? methods)
    {
        if (string.IsNullOrWhiteSpace(methods))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(methods);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? [.. document.RootElement.EnumerateArray().Select(m => m.GetString() ?? "").Where(m => m.Length > 0)]
                : null;
        }
        catch (JsonException)
        {
            return [methods];
        }
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }

    private void AddParams(RpcHttp http, IReadOnlyDictionary<string, string> capabilities)
    {
        bool nullable = capabilities.ContainsKey("UseNullableValueDictionaryForHttp");
        foreach ((string key, string value) in _routeValues)
        {
            if (nullable)
            {
                http.NullableParams[key] = new NullableString { Value = value };
            }
            else
            {
                http.Params[key] = value;
            }
        }
    }

    /// <summary>The headers as the host's HttpRequest has them: Host, the request's headers, the content's headers.</summary>
    private List<KeyValuePair<string, string>> ReceivedHeaders()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Host"] = _uri.Authority };
        foreach (KeyValuePair<string, IEnumerable<string>> header in _request.Headers)
        {
            headers[header.Key] = string.Join(",", header.Value);
        }

        if (_request.Content is not null)
        {
            foreach (KeyValuePair<string, IEnumerable<string>> header in _request.Content.Headers)
            {
                headers[header.Key] = string.Join(",", header.Value);
            }

            if (_body.Length > 0 || _request.Content.Headers.ContentLength is not null)
            {
                headers["Content-Length"] = _body.Length.ToString(CultureInfo.InvariantCulture);
            }
        }

        return [.. headers];
    }

    private List<KeyValuePair<string, List<string>>> QueryPairs()
    {
        var pairs = new List<KeyValuePair<string, List<string>>>();
        string query = _uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return pairs;
        }

        foreach (string part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString((equals < 0 ? part : part[..equals]).Replace('+', ' '));
            string value = equals < 0 ? "" : Uri.UnescapeDataString(part[(equals + 1)..].Replace('+', ' '));
            int index = pairs.FindIndex(p => p.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                pairs.Add(new(key, [value]));
            }
            else
            {
                pairs[index].Value.Add(value);
            }
        }

        return pairs;
    }

    /// <summary>HttpRequestExtensions.GetQueryParameterDictionary: "last one wins for any duplicate query parameters".</summary>
    private Dictionary<string, string> QueryLastWins() =>
        QueryPairs().ToDictionary(p => p.Key, p => p.Value[^1], StringComparer.OrdinalIgnoreCase);

    /// <summary>request.Query's StringValues.ToString(): duplicates joined with a comma.</summary>
    private List<KeyValuePair<string, string>> QueryJoined() =>
        [.. QueryPairs().Select(p => new KeyValuePair<string, string>(p.Key, string.Join(",", p.Value)))];

    [GeneratedRegex(@"\{(?<catchall>\*{1,2})?(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::[^}=?]+)*(?<optional>\?)?(?:=(?<default>[^}]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
