using OnCall.Core.Incidents;

namespace OnCall.Core.Tests;

public sealed class IncidentRulesTests
{
    [Theory]
    [InlineData(IncidentStatus.Open, IncidentStatus.Acknowledged, true)]
    [InlineData(IncidentStatus.Open, IncidentStatus.Resolved, true)]
    [InlineData(IncidentStatus.Monitoring, IncidentStatus.Investigating, true)]
    [InlineData(IncidentStatus.Investigating, IncidentStatus.Acknowledged, false)]
    [InlineData(IncidentStatus.Investigating, IncidentStatus.Open, false)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Monitoring, false)]
    [InlineData(IncidentStatus.Canceled, IncidentStatus.Resolved, false)]
    [InlineData(IncidentStatus.Identified, IncidentStatus.Identified, false)]
    public void CanMove_FollowsTheRules(IncidentStatus from, IncidentStatus to, bool allowed) =>
        Assert.Equal(allowed, IncidentRules.CanMove(from, to));

    [Theory]
    [InlineData("critical", Severity.Critical)]
    [InlineData("Sev1", Severity.Critical)]
    [InlineData("error", Severity.Major)]
    [InlineData("sev2", Severity.Major)]
    [InlineData("warning", Severity.Minor)]
    [InlineData("Sev4", Severity.Minor)]
    public void SeverityMap_Defaults_MapTheIssuesWords(string word, Severity expected)
    {
        var errors = new Errors.ValidationErrors();

        Assert.Equal(expected, SeverityMap.Default.Map(word, "severity", errors));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void IncidentIds_New_CarriesThePartitionOfItsKey()
    {
        var id = IncidentIds.New("generic", "db-down", NodaTime.Instant.FromUtc(2026, 11, 12, 12, 0));

        Assert.Equal(IncidentIds.KeyHash("generic", "db-down"), IncidentIds.PartitionOf(id));
        Assert.StartsWith("20261112120000-", id, StringComparison.Ordinal);
    }
}
