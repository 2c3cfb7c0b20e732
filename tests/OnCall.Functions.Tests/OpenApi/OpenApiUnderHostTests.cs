using System.Net;
using OnCall.Functions.Catalogue;
using OnCall.FunctionsHostFake;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.OpenApi;

/// <summary>Under the Functions host there are no endpoints to generate from: the worker serves the embedded document.</summary>
[Collection(StorageTests.Collection)]
public sealed class OpenApiUnderHostTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task OpenApiDocument_UnderTheHost_ServesTheCommittedDocument()
    {
        var settings = new Dictionary<string, string?>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["OnCall__Storage__Prefix"] = AzuriteFixture.NewPrefix(),
            ["OnCall__AdminKey"] = TestApp.AdminKey,
            ["OnCall__PublicBaseUrl"] = "https://oncall.example.com/",
        };
        foreach (var timer in FunctionCatalogue.Default.Timers)
        {
            settings[timer.ScheduleAppSetting] = timer.DefaultSchedule;
        }

        await using var host = await FakeFunctionsHost.StartAsync(
            FakeHostOptions.FromWorkerConfig(Path.GetDirectoryName(FunctionsMetadata.BuildOutputFile)!, settings));

        // Anonymous: no key sent.
        var (response, result) = await host.InvokeHttpAsync("OpenApiDocument", new HttpRequestMessage(HttpMethod.Get, "/api/openapi.json"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}\n{result}\n{host.WorkerOutput}");
        Assert.Equal(await File.ReadAllTextAsync(RepositoryRoot.File("docs", "openapi.json")), await response.Content.ReadAsStringAsync());
    }
}
