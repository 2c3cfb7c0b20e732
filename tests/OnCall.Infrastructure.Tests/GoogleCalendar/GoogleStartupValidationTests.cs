using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OnCall.Infrastructure.Tests.GoogleCalendar;

public sealed class GoogleStartupValidationTests
{
    [Fact]
    public void Validate_ServiceAccountJsonNotJson_RejectedWithoutRepeatingIt()
    {
        var message = StartupError(new() { ["OnCall:Google:ServiceAccountJson"] = "-----BEGIN PRIVATE KEY-----topsecret" });

        Assert.Contains("ServiceAccountJson is not valid JSON", message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ServiceAccountJsonWithoutPrivateKey_NamesTheField()
    {
        var message = StartupError(new() { ["OnCall:Google:ServiceAccountJson"] = """{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com"}""" });

        Assert.Contains("ServiceAccountJson lacks 'private_key'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PrivateKeyNotAPemKey_NamesTheFieldWithoutRepeatingIt()
    {
        var message = StartupError(new()
        {
            ["OnCall:Google:ServiceAccountJson"] =
                """{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com","private_key":"topsecret"}""",
        });

        Assert.Contains("ServiceAccountJson has a 'private_key' that is not a PEM RSA private key", message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PrivateKeyIsAPublicKey_NamesTheField()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "service_account",
            ["client_email"] = "a@b.iam.gserviceaccount.com",
            ["private_key"] = rsa.ExportSubjectPublicKeyInfoPem(),
        }.ToJsonString();

        var message = StartupError(new() { ["OnCall:Google:ServiceAccountJson"] = json });

        Assert.Contains("ServiceAccountJson has a 'private_key' that is not a PEM RSA private key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BatchSizeZero_Rejected()
    {
        var message = StartupError(new() { ["OnCall:Google:BatchSize"] = "0" });

        Assert.Contains("BatchSize", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NothingSet_StartsWithSyncOff()
    {
        using var services = Services([]);

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.False(services.GetRequiredService<OnCall.Core.Ports.IGoogleCalendar>().IsConfigured);
    }

    private static string StartupError(Dictionary<string, string?> settings)
    {
        using var services = Services(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate()).Message;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        settings["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddOnCallStorage(configuration)
            .AddOnCallRotations(configuration)
            .AddOnCallCalendarFeeds(configuration)
            .AddOnCallGoogleCalendar(configuration)
            .BuildServiceProvider();
    }
}
