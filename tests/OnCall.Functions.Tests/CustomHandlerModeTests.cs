using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>The app as the Functions host runs it: FUNCTIONS_CUSTOMHANDLER_PORT set, invocations in the documented shapes.</summary>
[Collection(StorageTests.Collection)]
public sealed class CustomHandlerModeTests(AzuriteFixture azurite)
{
    // The payload the host sends a custom handler for a timer trigger whose binding is named "timer".
    private const string TimerInvocation = """
        {
          "Data": {"timer": {"Schedule": {"AdjustForDST": true}, "ScheduleStatus": null, "IsPastDue": false}},
          "Metadata": {"sys": {"MethodName": "PruneFeedLedger", "UtcNow": "2026-11-22T03:30:00.0000000Z", "RandGuid": "6d4e1a0e-1f7c-4b0e-9d43-7d1c3c2b5e11"}}
        }
        """;

    [Fact]
    public async Task Start_UnderFunctionsHost_ListensOnCustomHandlerPort()
    {
        var port = FreePort.Next();

        await using var app = await StartAsync(port);

        Assert.Equal(port, app.BaseAddress.Port);
    }

    [Fact]
    public async Task Invocation_TimerPayload_AnswersOutputsLogsAndReturnValue()
    {
        await using var app = await StartAsync();

        using var response = await app.Client.PostAsync("/PruneFeedLedger", Api.Json(TimerInvocation));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await Api.BodyAsync(response)).AsObject();
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], body.Select(p => p.Key));
        Assert.Contains("PruneFeedLedger completed.", body["Logs"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task Invocation_QueuePayload_HandsMessageToJob()
    {
        var job = new RecordingQueueJob();
        await using var app = await StartAsync(job: job);

        using var response = await app.Client.PostAsync("/RecordMessage", Api.Json("""
            {"Data": {"message": {"incident": "42"}}, "Metadata": {"Id": "m-1", "DequeueCount": 2, "sys": {"MethodName": "RecordMessage"}}}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("m-1", "42", 2L), (job.Handled.Single().Id, job.Handled.Single().Body.Incident, job.Handled.Single().DequeueCount));
    }

    [Fact]
    public async Task Invocation_QueueJobFails_Returns500SoTheHostRetries()
    {
        await using var app = await StartAsync(job: new RecordingQueueJob(failTimes: 1));

        using var response = await app.Client.PostAsync("/RecordMessage", Api.Json("""{"Data": {"message": "{\"incident\":\"7\"}"}, "Metadata": {}}"""));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("RecordMessage failed: InvalidOperationException.", (await Api.BodyAsync(response))["Logs"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task Invocation_UnknownFunction_Returns404()
    {
        await using var app = await StartAsync();

        using var response = await app.Client.PostAsync("/Nope", Api.Json(TimerInvocation));

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task Invocation_WithoutData_Returns400()
    {
        await using var app = await StartAsync();

        using var response = await app.Client.PostAsync("/PruneFeedLedger", Api.Json("{\"Metadata\": {}}"));

        await Api.AssertProblemAsync(response, 400, "Data");
    }

    [Fact]
    public async Task ProxiedWrite_UnderFunctionsHost_LeavesKeyCheckToTheHost()
    {
        await using var app = await StartAsync();

        using var response = await app.Client.PutAsync("/api/rotations/platform", Api.Json(Api.Rotation()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Invocation_Standalone_IsNotServed()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.PostAsync("/PruneFeedLedger", Api.Json(TimerInvocation));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private Task<TestApp> StartAsync(int? port = null, RecordingQueueJob? job = null) =>
        TestApp.StartAsync(
            azurite.ConnectionString,
            settings: new Dictionary<string, string>
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = $"{port ?? FreePort.Next()}",
                ["OnCall:AdminKey"] = "",
            },
            services: job?.Register());
}
