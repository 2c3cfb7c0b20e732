using System.Net;
using System.Net.Http.Headers;
using OnCall.Functions.Tests.Incidents;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>
/// A secret setting whose Key Vault reference did not resolve holds its literal text, which names a guessable vault:
/// it counts as not set, never as a secret a caller could send back.
/// </summary>
[Collection(StorageTests.Collection)]
public sealed class UnresolvedKeyVaultReferenceTests(AzuriteFixture azurite)
{
    private const string Unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-oncall-dev-abc123.vault.azure.net/secrets/webhook-generic/)";

    [Fact]
    public async Task Webhook_SecretIsAnUnresolvedReference_LiteralIsRefused()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string> { ["OnCall:WebhookSecrets:Generic"] = Unresolved });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = Api.Json(IncidentKit.Generic()) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Unresolved);

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ReadKey_IsAnUnresolvedReference_LiteralIsRefused()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string> { ["OnCall:ReadKey"] = Unresolved });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/rotations") { Headers = { { "x-functions-key", Unresolved } } };

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignedLink_LinkKeyIsAnUnresolvedReference_LinksAreOff()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: new Dictionary<string, string> { ["OnCall:Handoffs:LinkKey"] = Unresolved });

        using var response = await app.Client.GetAsync("/api/handoffs/202611121500-0123456789abcdefghij/ack?e=ada%40example.com&exp=9999999999&sig=x");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("switched off", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AdminKeyIsAnUnresolvedReference_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(
            azurite.ConnectionString, settings: new Dictionary<string, string> { ["OnCall:AdminKey"] = Unresolved }));

        Assert.Contains("OnCall:AdminKey", error.Message, StringComparison.Ordinal);
    }
}
