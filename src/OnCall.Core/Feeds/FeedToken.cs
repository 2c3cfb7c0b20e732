using System.Security.Cryptography;
using System.Text;

namespace OnCall.Core.Feeds;

/// <summary>
/// The unguessable per-rotation token of the ICS feed. Only its SHA-256 is stored, so the token is shown
/// once, when it is made, and a leaked table does not leak feeds.
/// </summary>
public static class FeedToken
{
    public static (string Token, string Hash) New()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, Hash(token));
    }

    public static bool Matches(string? token, string hash) =>
        token is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(hash));

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
