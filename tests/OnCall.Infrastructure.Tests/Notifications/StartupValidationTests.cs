using Microsoft.Extensions.Options;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class StartupValidationTests
{
    [Fact]
    public void Validate_SlackWebhookIsNotAUrl_Rejected()
    {
        var message = StartupError(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = "not a url",
        });

        Assert.Contains("SlackWebhookUrl must be an absolute https URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TeamsWebhookIsPlainHttpToARemoteHost_RejectedWithoutRepeatingTheUrl()
    {
        var message = StartupError(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:TeamsWebhookUrl"] = "http://example.com/workflows/1/triggers/manual/paths/invoke?sig=topsecret",
        });

        Assert.Contains("TeamsWebhookUrl must be an absolute https URL", message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AttemptTimeoutLongerThanTotalTimeout_Rejected()
    {
        var message = StartupError(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:Http:AttemptTimeout"] = "00:01:00",
            ["OnCall:Notifications:Http:TotalTimeout"] = "00:00:30",
        });

        Assert.Contains("AttemptTimeout must not exceed TotalTimeout", message, StringComparison.Ordinal);
    }

    /// <summary>Every validation message start-up reports (several options may fail together).</summary>
    private static string StartupError(Dictionary<string, string?> settings)
    {
        var error = Record.Exception(() => NotificationServices.Create(settings));

        var failures = error is AggregateException all ? all.InnerExceptions : [Assert.IsType<OptionsValidationException>(error)];
        Assert.All(failures, f => Assert.IsType<OptionsValidationException>(f));
        return string.Join('\n', failures.Select(f => f.Message));
    }
}
