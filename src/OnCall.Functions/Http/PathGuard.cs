using Microsoft.AspNetCore.Http.Features;

namespace OnCall.Functions.Http;

/// <summary>
/// Refuses a request whose path has a dot segment or an encoded slash or backslash, however it is encoded, before it
/// reaches a function. The server removes dot segments after decoding, so
/// <c>DELETE /api/rotations/R/overrides/%2e%2e</c> would otherwise arrive as <c>DELETE /api/rotations/R</c>.
/// Read from the raw request target, which the server has not normalised.
/// </summary>
public static class PathGuard
{
    // Enough rounds for double and triple encoding; a segment still encoded after that is refused anyway.
    private const int DecodingRounds = 3;

    /// <exception cref="HttpProblemException">400 naming <c>path</c>.</exception>
    public static void Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var path = target.Split('?', 2)[0];
        foreach (var segment in path.Split('/'))
        {
            if (!IsPlain(segment))
            {
                throw new HttpProblemException(
                    400,
                    "Invalid path",
                    "A path segment may not be '.' or '..', or hold an encoded '/' or '\\', in any encoding.",
                    "path");
            }
        }
    }

    /// <summary>The standalone pipeline's guard, ahead of every route; the HTTP functions check again for the host.</summary>
    public static IApplicationBuilder UsePathGuard(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            Check(context);
            return next(context);
        });

    private static bool IsPlain(string segment)
    {
        var decoded = segment;
        for (var round = 0; round <= DecodingRounds; round++)
        {
            if (decoded is "." or ".."
                || decoded.Contains('\\', StringComparison.Ordinal)
                || (round > 0 && decoded.Contains('/', StringComparison.Ordinal)))
            {
                return false;
            }

            if (!decoded.Contains('%', StringComparison.Ordinal))
            {
                return true;
            }

            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded)
            {
                return true;
            }

            decoded = next;
        }

        return !decoded.Contains('%', StringComparison.Ordinal);
    }
}
