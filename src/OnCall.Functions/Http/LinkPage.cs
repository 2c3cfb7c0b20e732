using System.Net;
using System.Text;
using OnCall.Core.Ports;

namespace OnCall.Functions.Http;

/// <summary>A button on a signed link's page: a form that POSTs to <see cref="Action"/>, relative to the page's address.</summary>
public sealed record LinkButton(string Label, string Action);

/// <summary>
/// The small HTML page a signed link opens (acknowledge a handoff, offer, take, review or withdraw a swap). A GET only
/// shows it, because link previews and scanners open links; its buttons POST the same query back.
/// </summary>
public static class LinkPage
{
    // Page/templates/, beside the page; {{buttons}} and the button's fields are filled in encoded.
    private static readonly string PageTemplate = Template("link.html");
    private static readonly string ButtonTemplate = Template("link-button.html").TrimEnd();

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

        // A relative form action: the browser posts back to the address it opened, whatever host is in front.
        var forms = string.Concat(buttons.Select(b => ButtonTemplate
            .Replace("{{action}}", WebUtility.HtmlEncode(b.Action), StringComparison.Ordinal)
            .Replace("{{label}}", WebUtility.HtmlEncode(b.Label), StringComparison.Ordinal)));
        var html = PageTemplate
            .Replace("{{title}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("{{text}}", WebUtility.HtmlEncode(text), StringComparison.Ordinal)
            .Replace("{{buttons}}", forms, StringComparison.Ordinal);
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The page for a link that did not check out.</summary>
    public static IResult Refused(LinkCheck check, string what) => check switch
    {
        LinkCheck.NotConfigured => Render(403, "Link not accepted", "Signed links are switched off on this server."),
        LinkCheck.Expired => Render(403, "Link expired", $"This link has expired. {what}"),
        _ => Render(
            403,
            "Link not accepted",
            "This link is not valid: it was changed, or it belongs to something else. Use the link from the message as it is."),
    };

    private static string Template(string name)
    {
        using var stream = typeof(LinkPage).Assembly.GetManifestResourceStream($"Templates/{name}")
            ?? throw new InvalidOperationException($"The template {name} is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The status a refused action shows on the page, as the API would answer it.</summary>
    public static int StatusOf(Core.Errors.OnCallException exception) => exception switch
    {
        Core.Errors.NotFoundException => 404,
        Core.Errors.ConflictException or Core.Errors.ConcurrencyException => 409,
        _ => 400,
    };
}
