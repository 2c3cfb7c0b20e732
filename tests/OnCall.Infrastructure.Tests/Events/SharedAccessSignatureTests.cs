using OnCall.Infrastructure.Events;

namespace OnCall.Infrastructure.Tests.Events;

public sealed class SharedAccessSignatureTests
{
    [Fact]
    public void SharedAccessSignature_KnownKeyAndExpiry_DocumentedTokenFormat()
    {
        var connection = new ServiceBusConnection("ns.servicebus.windows.net", "send", "c2VjcmV0");

        var token = connection.SharedAccessSignature(new Uri("https://ns.servicebus.windows.net/oncall-events"), DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        // The signature below is HMAC-SHA256("c2VjcmV0", "https%3a%2f%2fns.servicebus.windows.net%2foncall-events\n1800000000"), base64, URL-encoded.
        Assert.Equal(
            "SharedAccessSignature sr=https%3a%2f%2fns.servicebus.windows.net%2foncall-events&sig=" + ExpectedSignature + "&se=1800000000&skn=send",
            token);
    }

    [Fact]
    public void ToString_Connection_DoesNotShowTheKey()
    {
        var connection = new ServiceBusConnection("ns.servicebus.windows.net", "send", "topsecretkey");

        Assert.DoesNotContain("topsecretkey", connection.ToString(), StringComparison.Ordinal);
    }

    private static string ExpectedSignature => Uri.EscapeDataString(Convert.ToBase64String(
        System.Security.Cryptography.HMACSHA256.HashData(
            "c2VjcmV0"u8.ToArray(),
            "https%3a%2f%2fns.servicebus.windows.net%2foncall-events\n1800000000"u8.ToArray()))).Replace("%2B", "%2b", StringComparison.Ordinal).Replace("%2F", "%2f", StringComparison.Ordinal).Replace("%3D", "%3d", StringComparison.Ordinal);
}
