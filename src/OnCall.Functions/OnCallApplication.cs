using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;
using OnCall.Functions.Http;
using OnCall.Infrastructure;

namespace OnCall.Functions;

/// <summary>Builds the app for either hosting mode; tests build it the same way.</summary>
public static class OnCallApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json ships beside the executable; local.settings.json is read from the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // Request lines carry the ICS feed token and ?code= secrets: never log them, whatever the settings say.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        var mode = builder.ConfigureHosting();
        builder.Services.AddOnCallHost(builder.Configuration, mode);
        builder.Services.AddOnCallTimers(builder.Configuration, mode);
        builder.Services.AddOnCallQueues(builder.Configuration, mode);
        builder.Services.AddOnCallStorage(builder.Configuration);
        builder.Services.AddOnCallRotations(builder.Configuration);
        builder.Services.AddOnCallCalendarFeeds(builder.Configuration);
        builder.Services.AddOnCallNotifications(builder.Configuration);
        builder.Services.AddOnCallEvents(builder.Configuration);
        builder.Services.AddOnCallHandoffs(builder.Configuration);
        builder.Services.AddOnCallGoogleCalendar(builder.Configuration);
        builder.Services.AddOnCallIncidents(builder.Configuration);
        builder.Services.AddOnCallWebhooks();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Services.GetRequiredService<FunctionCatalogue>().EnsureJobsRegistered(app.Services.GetRequiredService<IServiceProviderIsService>());
        app.UseMiddleware<ProblemMiddleware>();
        app.UseStatusCodePages(context => ProblemMiddleware.WriteAsync(context.HttpContext, ProblemMiddleware.ForStatus(context.HttpContext.Response.StatusCode)));
        app.MapOperationsEndpoints();
        app.MapRotationEndpoints();
        app.MapFeedEndpoints();
        app.MapHandoffEndpoints();
        app.MapIncidentEndpoints();
        app.MapPageEndpoints(mode);
        if (mode.UnderFunctionsHost)
        {
            app.MapCustomHandlerInvocations();
        }

        return app;
    }
}
