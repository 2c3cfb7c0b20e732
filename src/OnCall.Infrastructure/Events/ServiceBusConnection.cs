using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Web;

namespace OnCall.Infrastructure.Events;

/// <summary>A Service Bus SAS connection string, read into the parts a send needs.</summary>
public sealed record ServiceBusConnection(string Host, string KeyName, string Key)
{
    /// <summary>
    /// Reads <paramref name="connectionString"/>; returns null when it is usable, else what is wrong with it (never
    /// quoting it). An <c>EntityPath</c> is ignored: the topic comes from <c>OnCall:ServiceBus:Topic</c>.
    /// </summary>
    public static string? TryParse(string connectionString, out ServiceBusConnection? connection)
    {
        connection = null;
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return "is not a list of name=value pairs";
            }

            parts[part[..equals]] = part[(equals + 1)..];
        }

        if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != "sb")
        {
            return "needs Endpoint=sb://<namespace>.servicebus.windows.net/";
        }

        if (!parts.TryGetValue("SharedAccessKeyName", out var keyName) || keyName.Length == 0
            || !parts.TryGetValue("SharedAccessKey", out var key) || key.Length == 0)
        {
            return "needs SharedAccessKeyName and SharedAccessKey";
        }

        connection = new ServiceBusConnection(uri.Host, keyName, key);
        return null;
    }

    /// <summary>The host of a namespace given as a host name or as a URL.</summary>
    public static string HostOf(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : value.Trim().TrimEnd('/');

    /// <summary>
    /// A SAS token for <paramref name="resourceUri"/> valid until <paramref name="expiresAt"/>, computed as Service Bus
    /// documents it: HMAC-SHA256, keyed with the key's UTF-8 bytes, over the URL-encoded resource URI, a newline and
    /// the expiry in Unix seconds.
    /// </summary>
    public string SharedAccessSignature(Uri resourceUri, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(resourceUri);
        var encodedResource = HttpUtility.UrlEncode(resourceUri.AbsoluteUri);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry)));
        return string.Create(CultureInfo.InvariantCulture, $"SharedAccessSignature sr={encodedResource}&sig={HttpUtility.UrlEncode(signature)}&se={expiry}&skn={KeyName}");
    }

    // The key is a secret: a record's generated ToString would print it.
    public override string ToString() => $"ServiceBusConnection {{ Host = {Host}, KeyName = {KeyName} }}";
}
