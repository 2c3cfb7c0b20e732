using NodaTime;
using NodaTime.Text;
using OnCall.Core.Incidents;
using OnCall.Core.Rotations;

namespace OnCall.Core.Tests;

public sealed class PostMortemWriterTests
{
    private static readonly Instant Opened = InstantPattern.General.Parse("2026-11-13T14:00:00Z").Value;

    [Fact]
    public void Write_PeopleInTimeline_AreReplacedConsistentlyByTeamMembers()
    {
        var details = Details(
            new TimelineEntry(Opened, TimelineKind.Opened, "Opened (major); commander Ada Lovelace.", "generic"),
            new TimelineEntry(Opened + Duration.FromMinutes(5), TimelineKind.Investigating, "Ada Lovelace asked lin@example.com to look at the pool", "lin@example.com"),
            new TimelineEntry(Opened + Duration.FromMinutes(9), TimelineKind.Identified, "Pool exhausted", "ada@example.com"));

        var body = PostMortemWriter.Write(details, null, 5);

        Assert.DoesNotContain("Ada", body, StringComparison.Ordinal);
        Assert.DoesNotContain("lin@example.com", body, StringComparison.Ordinal);
        Assert.Contains("commander team-member-1.", body, StringComparison.Ordinal);
        Assert.Contains("team-member-1 asked team-member-2 to look at the pool (team-member-2)", body, StringComparison.Ordinal);
        Assert.Contains("Pool exhausted (team-member-1)", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Default_HasSectionsDurationDueDateAndMarker()
    {
        var body = PostMortemWriter.Write(Details(), null, 5);

        Assert.All(
            ["## Summary", "## Impact", "## Timeline (UTC)", "## Links", "## Root cause", "## Action items", "- [ ]", "| Duration | 1 h 30 min |", "| Due | 2026-11-20 |", PostMortemWriter.Marker("id-1")],
            part => Assert.Contains(part, body, StringComparison.Ordinal));
    }

    [Fact]
    public void Write_TemplateWithoutMarker_GetsTheMarkerAnyway()
    {
        var body = PostMortemWriter.Write(Details(), "# {{title}} ({{severity}})", 5);

        Assert.StartsWith("# Database down (major)", body, StringComparison.Ordinal);
        Assert.Contains(PostMortemWriter.Marker("id-1"), body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-13T23:00:00Z", 5, "2026-11-20")]
    [InlineData("2026-11-14T10:00:00Z", 1, "2026-11-16")]
    [InlineData("2026-11-16T10:00:00Z", 5, "2026-11-23")]
    public void DueDate_SkipsWeekends(string from, int days, string expected) =>
        Assert.Equal(expected, LocalDatePattern.Iso.Format(PostMortemWriter.DueDate(InstantPattern.General.Parse(from).Value, days)));

    private static IncidentDetails Details(params TimelineEntry[] timeline) => new(
        new Incident("id-1", "generic", "db", "Database down", Severity.Major, IncidentStatus.Resolved, "platform", "db", "Primary refuses connections", ["db"], new Member("Ada Lovelace", "ada@example.com"), Opened)
        {
            ResolvedAt = Opened + Duration.FromMinutes(90),
        },
        timeline);
}
