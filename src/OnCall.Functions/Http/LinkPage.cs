using System.Net;
using System.Text;

namespace OnCall.Functions.Http;

/// <summary>A button on a signed link's page: a form that POSTs to <see cref="Action"/>, relative to the page's address.</summary>
public sealed record LinkButton(string Label, string Action);

/// <summary>
/// The small HTML page a signed link opens (acknowledge a handoff, offer, take, review or withdraw a swap). A GET only
/// shows it, because link previews and scanners open links; its buttons POST the same query back.
/// </summary>
public static class LinkPage
{
    /// <summary>The query is a credential: keep it out of caches and out of the Referer of anything the page links to.</summary>
    public static void ProtectQuery(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    public static IResult Render(int status, string title, string text, params IReadOnlyList<LinkButton> buttons)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<meta name=\"robots\" content=\"noindex\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title></head>")
            .Append("<body style=\"font-family:sans-serif;max-width:40em;margin:2em auto\"><h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1><p>")
            .Append(WebUtility.HtmlEncode(text)).Append("</p>");
        foreach (var button in buttons)
        {
            // A relative form action: the browser posts back to the address it opened, whatever host is in front.
            html.Append("<form method=\"post\" action=\"").Append(WebUtility.HtmlEncode(button.Action)).Append("\"><button type=\"submit\">")
                .Append(WebUtility.HtmlEncode(button.Label)).Append("</button></form>");
        }

        html.Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The page for a link that did not check out.</summary>
    public static IResult Refused(Infrastructure.Handoffs.LinkCheck check, string what) => check switch
    {
        Infrastructure.Handoffs.LinkCheck.NotConfigured => Render(403, "Link not accepted", "Signed links are switched off on this server."),
        Infrastructure.Handoffs.LinkCheck.Expired => Render(403, "Link expired", $"This link has expired. {what}"),
        _ => Render(403, "Link not accepted", "This link is not valid: it was changed, or it belongs to something else. Use the link from the message as it is."),
    };

    /// <summary>The status a refused action shows on the page, as the API would answer it.</summary>
    public static int StatusOf(Core.Errors.OnCallException exception) => exception switch
    {
        Core.Errors.NotFoundException => 404,
        Core.Errors.ConflictException or Core.Errors.ConcurrencyException => 409,
        _ => 400,
    };
}
