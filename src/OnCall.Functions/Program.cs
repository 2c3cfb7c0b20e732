using OnCall.Functions;
using OnCall.Functions.Hosting;

// Started by the Functions host (it passes its gRPC address), the app is an isolated worker; otherwise standalone.
var environment = new ConfigurationBuilder().AddEnvironmentVariables().AddEnvironmentVariables("AZURE_FUNCTIONS_").Build();
if (HostingMode.From(args, environment).UnderFunctionsHost)
{
    await OnCallApplication.BuildWorker(args).RunAsync();
}
else
{
    await OnCallApplication.Build(args).RunAsync();
}

return 0;
