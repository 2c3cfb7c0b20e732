using Azure;
using Azure.Data.Tables;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddSingleton(_ => new TableServiceClient(builder.Configuration["AzureWebJobsStorage"]));
var app = builder.Build();
app.MapGet("/api/health", () => Results.Ok(new { status = "ok" }));

// One storage call: a point read. The bench's untimed first start creates the table (on TableNotFound).
app.MapGet("/api/items/{id}", async (string id, TableServiceClient tables, CancellationToken cancellationToken) =>
{
    var table = tables.GetTableClient("barecoldstart");
    NullableResponse<TableEntity> entity;
    try
    {
        entity = await table.GetEntityIfExistsAsync<TableEntity>("items", id, cancellationToken: cancellationToken);
    }
    catch (RequestFailedException exception) when (exception.Status == 404)
    {
        await table.CreateIfNotExistsAsync(cancellationToken);
        entity = await table.GetEntityIfExistsAsync<TableEntity>("items", id, cancellationToken: cancellationToken);
    }

    return Results.Ok(new { id, found = entity.HasValue });
});
app.Run();
