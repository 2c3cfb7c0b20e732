using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>A dot segment or an encoded slash never reaches a route of another shape, and changes nothing.</summary>
[Collection(StorageTests.Collection)]
public sealed class PathGuardTests(AzuriteFixture azurite)
{
    private static readonly string[] Segments = ["%2e%2e", "%2E%2e", "..", ".", "%2e", "%252e%252e", "%25252e%25252e", "a%2fb", "a%5cb", "a%252fb"];

    [Theory]
    [InlineData("DELETE /api/rotations/platform/overrides/{0}")]
    [InlineData("DELETE /api/rotations/{0}")]
    [InlineData("PUT /api/rotations/{0}")]
    [InlineData("GET /api/rotations/{0}/shifts")]
    [InlineData("POST /api/handoffs/{0}/acknowledge")]
    [InlineData("POST /api/incidents/{0}/status")]
    [InlineData("GET /api/incidents/{0}")]
    public async Task Request_DotOrEncodedSlashSegment_IsRefusedAndTheRotationStays(string route)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        var (method, template) = (route.Split(' ')[0], route.Split(' ')[1]);

        foreach (var segment in Segments)
        {
            var (status, contentType) = await SendAsIsAsync(app, method, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, segment));

            Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{method} {template} with {segment}: {(int)status}");
            Assert.Equal("application/problem+json", contentType);
        }

        Assert.Equal(HttpStatusCode.OK, (await app.Admin.GetAsync("/api/rotations/platform")).StatusCode);
    }

    // HttpClient would remove dot segments itself; a raw request line sends them as a probe does.
    private static async Task<(HttpStatusCode Status, string? ContentType)> SendAsIsAsync(TestApp app, string method, string target)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port);
        await using var stream = client.GetStream();
        var body = method is "GET" or "DELETE" ? "" : "{}";
        var request = $"{method} {target} HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\nx-functions-key: {TestApp.AdminKey}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        var raw = await reader.ReadToEndAsync();
        var headers = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        var status = (HttpStatusCode)int.Parse(headers[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var contentType = headers.FirstOrDefault(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Split(';')[0].Trim();
        return (status, contentType);
    }
}
