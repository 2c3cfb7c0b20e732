using OnCall.Core.Incidents;
using OnCall.Core.Jobs;

namespace OnCall.Core.Tests.Jobs;

public sealed class WorkQueueJsonTests
{
    [Fact]
    public void Serialize_Message_CamelCaseJsonReadBackAsIs()
    {
        var message = new IncidentEvent("i1", "opened", "00-abc-def-01");

        var json = WorkQueueJson.Serialize(message);

        Assert.Contains("\"incidentId\":\"i1\"", json, StringComparison.Ordinal);
        Assert.Equal(message, WorkQueueJson.Deserialize<IncidentEvent>(json));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    public void Deserialize_NotTheMessage_Unreadable(string body) =>
        Assert.Throws<UnreadableMessageException>(() => WorkQueueJson.Deserialize<IncidentEvent>(body));
}
