using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker.Builder;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;
using OnCall.Functions.Http;
using OnCall.Infrastructure;

namespace OnCall.Functions;

/// <summary>Builds the app for either hosting mode from one list of services; tests build the standalone app the same way.</summary>
public static class OnCallApplication
{
    /// <summary>
    /// Standalone: Kestrel serves every HTTP <c>[Function]</c> at its route, and the app runs its own timers and queue
    /// listener.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json ships beside the executable; local.settings.json is read from the working directory.
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.ConfigureStandaloneHosting();
        builder.Logging.AddFilter(RequestLineCategory, LogLevel.Warning);
        builder.Services.AddOnCallApp(builder.Configuration, HostingMode.Standalone);
        configure?.Invoke(builder);

        var app = builder.Build();
        var catalogue = app.Services.GetRequiredService<FunctionCatalogue>();
        catalogue.EnsureActivatable(app.Services.GetRequiredService<IServiceProviderIsService>());
        app.UseMiddleware<ProblemMiddleware>();
        app.UsePathGuard();
        app.UseStatusCodePages(context => ProblemMiddleware.WriteAsync(
            context.HttpContext,
            ProblemMiddleware.ForStatus(context.HttpContext.Response.StatusCode)));
        foreach (var function in catalogue.Http)
        {
            app.MapMethods(function.Path, function.Methods, context => ServeAsync(function, context))
                .WithName(function.Name).WithMetadata([.. function.Metadata]);
        }

        // Under the Functions host, '/' belongs to the host; standalone, the app's address opens the page.
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], PageFunctions.ServeIndex);
        return app;
    }

    /// <summary>Under the Functions host: the isolated worker, with ASP.NET Core integration, serving the same functions.</summary>
    public static IHost BuildWorker(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.Logging.AddFilter(RequestLineCategory, LogLevel.Warning);
        builder.Services.AddOnCallApp(builder.Configuration, HostingMode.FunctionsHost);
        var host = builder.Build();
        host.Services.GetRequiredService<FunctionCatalogue>()
            .EnsureActivatable(host.Services.GetRequiredService<IServiceProviderIsService>());
        return host;
    }

    // Request lines carry the ICS feed token and ?code= secrets: never log them, whatever the settings say.
    private const string RequestLineCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private static IServiceCollection AddOnCallApp(
        this IServiceCollection services,
        IConfiguration configuration,
        HostingMode mode) => services
        .AddOnCallHost(configuration, mode)
        .AddOnCallTelemetry(configuration, mode)
        .AddOnCallTimers(configuration, mode)
        .AddOnCallQueues(configuration, mode)
        .AddOnCallStorage(configuration)
        .AddOnCallRotations(configuration)
        .AddOnCallTimeOff(configuration)
        .AddOnCallSwaps(configuration)
        .AddOnCallCalendarFeeds(configuration)
        .AddOnCallNotifications(configuration)
        .AddOnCallEvents(configuration)
        .AddOnCallHandoffs(configuration)
        .AddOnCallGoogleCalendar(configuration)
        .AddOnCallIncidents(configuration)
        .AddOnCallWebhooks()
        .AddOnCallOpenApi(mode);

    // What the worker's FunctionsHttpProxyingMiddleware does with a function's result, standalone.
    private static async Task ServeAsync(HttpFunction function, HttpContext context)
    {
        var result = await FunctionInvoker.InvokeHttpAsync(function, context);
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }
}
