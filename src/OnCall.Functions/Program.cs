using OnCall.Functions;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;

// `OnCall.Functions --write-function-metadata <dir>` writes function.json files (run by dotnet publish).
if (args is ["--write-function-metadata", var outputDirectory])
{
    FunctionMetadataWriter.Write(FunctionCatalogue.Default, outputDirectory);
    return 0;
}

await OnCallApplication.Build(args).RunAsync();
return 0;
