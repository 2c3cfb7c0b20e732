using OnCall.Core.Errors;
using OnCall.Core.Incidents;

namespace OnCall.Core.Tests.Incidents;

/// <summary>The words of the API and of senders: statuses, severities, what Statuspage shows.</summary>
public sealed class IncidentWordsTests
{
    [Theory]
    [InlineData("open", IncidentStatus.Open)]
    [InlineData(" Monitoring ", IncidentStatus.Monitoring)]
    [InlineData("CANCELED", IncidentStatus.Canceled)]
    public void ParseStatus_StatusWord_ThatStatus(string word, IncidentStatus expected) =>
        Assert.Equal(expected, IncidentRules.ParseStatus(word, "status"));

    [Theory]
    [InlineData("closed")]
    [InlineData(null)]
    public void ParseStatus_AnythingElse_ValidationFailedNamingTheField(string? word)
    {
        var error = Assert.Throws<ValidationFailedException>(() => IncidentRules.ParseStatus(word, "status"));

        Assert.Equal("status", error.Field);
        Assert.Contains("open, acknowledged, investigating, identified, monitoring, resolved, canceled", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IncidentStatus.Open, "investigating")]
    [InlineData(IncidentStatus.Acknowledged, "investigating")]
    [InlineData(IncidentStatus.Identified, "identified")]
    [InlineData(IncidentStatus.Monitoring, "monitoring")]
    [InlineData(IncidentStatus.Canceled, "resolved")]
    public void StatuspageStatus_Status_WhatStatuspageShows(IncidentStatus status, string expected) =>
        Assert.Equal(expected, IncidentRules.StatuspageStatus(status));

    [Fact]
    public void Map_UnknownWord_ErrorNamingTheFieldAndTheWords()
    {
        var errors = new ValidationErrors();

        var severity = SeverityMap.Default.Map("p1", "severity", errors);

        Assert.Equal(Severity.Minor, severity);
        var error = Assert.Throws<ValidationFailedException>(errors.ThrowIfAny);
        Assert.Equal("severity", error.Field);
        Assert.Contains("'p1' is not a known severity", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, Severity.Major)]
    [InlineData(" critical ", Severity.Critical)]
    public void Map_AbsentOrKnown_NoError(string? word, Severity expected)
    {
        var errors = new ValidationErrors();

        Assert.Equal(expected, new SeverityMap(IncidentRules.DefaultSeverityMap, Severity.Major).Map(word, "severity", errors));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("p1", Severity.Major, true)]
    [InlineData("", Severity.Major, false)]
    [InlineData("Sev0", Severity.Critical, false)]
    public void MapOrDefault_Word_SeverityAndWhetherItWasUnknown(string word, Severity expected, bool unknown)
    {
        var severity = new SeverityMap(IncidentRules.DefaultSeverityMap, Severity.Major).MapOrDefault(word, out var wasUnknown);

        Assert.Equal((expected, unknown), (severity, wasUnknown));
    }
}
