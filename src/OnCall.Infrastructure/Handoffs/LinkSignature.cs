using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NodaTime;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Infrastructure.Handoffs;

/// <summary>
/// The HMAC-SHA256 behind every signed link (acknowledge a handoff, offer, take, review or cancel a swap), keyed with
/// <c>OnCall:Handoffs:LinkKey</c>. Whoever holds a link can do the one thing its parts name, as the person it names,
/// until it expires.
/// </summary>
public sealed class LinkSignature(IOptions<HandoffOptions> options)
{
    private const char Separator = '\u001f';

    public bool Enabled => KeyVaultReference.SecretOrNull(options.Value.LinkKey) is not null;

    /// <summary>The URL-safe signature of <paramref name="parts"/> and the expiry (Unix seconds).</summary>
    public string Sign(long expires, params IReadOnlyList<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);

        // Unit separators between the parts (which may not contain one), so no two different lists sign the same bytes.
        var message = Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{string.Join(Separator, parts)}{Separator}{expires}"));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.LinkKey!), message);
        return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }

    /// <summary>
    /// Whether <paramref name="signature"/> signs <paramref name="parts"/> until <paramref name="expires"/>, as of
    /// <paramref name="now"/>.
    /// </summary>
    public LinkCheck Check(string? expires, string? signature, Instant now, params IReadOnlyList<string?> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (!Enabled)
        {
            return LinkCheck.NotConfigured;
        }

        if (signature is null
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            || parts.Any(p => string.IsNullOrEmpty(p) || p.Contains(Separator, StringComparison.Ordinal)))
        {
            return LinkCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(exp, [.. parts.Select(p => p!)]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return LinkCheck.Invalid;
        }

        return now.ToUnixTimeSeconds() >= exp ? LinkCheck.Expired : LinkCheck.Valid;
    }

    /// <summary>Emails are signed lower-cased, so a link works whatever case the address is shown in.</summary>
    public static string Email(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.ToLowerInvariant();
    }
}
