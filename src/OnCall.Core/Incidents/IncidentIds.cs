using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NodaTime;

namespace OnCall.Core.Incidents;

/// <summary>
/// Incident ids: <c>yyyyMMddHHmmss-&lt;key hash&gt;-&lt;random&gt;</c>. The key hash names the storage partition of every
/// incident of one (source, dedup key), so opening one can be checked and stored in a single transaction, and a
/// lookup by id is a point read.
/// </summary>
public static partial class IncidentIds
{
    [GeneratedRegex("^[0-9]{14}-(?<key>[0-9a-f]{16})-[0-9a-f]{6}$")]
    private static partial Regex Shape();

    public static string KeyHash(string source, string dedupKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}\n{dedupKey}")).AsSpan(0, 8));

    public static string New(string source, string dedupKey, Instant openedAt) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{openedAt.InUtc().LocalDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-{KeyHash(source, dedupKey)}-"
            + $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");

    /// <summary>The key hash inside a well-formed id; null for anything else.</summary>
    public static string? PartitionOf(string? id) =>
        id is not null && Shape().Match(id) is { Success: true } match ? match.Groups["key"].Value : null;
}
