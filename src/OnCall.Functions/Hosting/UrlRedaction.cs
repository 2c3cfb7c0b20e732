using System.Diagnostics;
using OnCall.Infrastructure.Http;
using OpenTelemetry;

namespace OnCall.Functions.Hosting;

/// <summary>
/// Keeps secrets out of spans: every URL attribute loses its query (feed tokens, <c>?code=</c> keys, signed links'
/// signatures), and the URL of a call made inside <see cref="HiddenUrl"/> (a webhook, whose path is its secret) keeps
/// only scheme and host.
/// </summary>
public sealed class UrlRedaction : BaseProcessor<Activity>
{
    private const string HiddenProperty = "oncall.hidden-url";
    private static readonly string[] UrlTags = ["url.full", "http.url", "http.target"];

    public override void OnStart(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (HiddenUrl.IsActive)
        {
            data.SetCustomProperty(HiddenProperty, true);
        }

        Redact(data);
    }

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Redact(data);
    }

    private static void Redact(Activity data)
    {
        var hidden = data.GetCustomProperty(HiddenProperty) is true;
        foreach (var tag in UrlTags)
        {
            if (data.GetTagItem(tag) is string url)
            {
                data.SetTag(tag, Clean(url, hidden));
            }
        }

        data.SetTag("url.query", null);
        if (hidden)
        {
            data.SetTag("url.path", null);
            data.DisplayName = data.DisplayName.Split(' ')[0];
        }
    }

    private static string Clean(string url, bool hidden)
    {
        var query = url.IndexOfAny(['?', '#']);
        var bare = query < 0 ? url : url[..query];
        if (!hidden)
        {
            return bare;
        }

        return Uri.TryCreate(bare, UriKind.Absolute, out var absolute) ? $"{absolute.Scheme}://{absolute.Authority}/" : "/";
    }
}
