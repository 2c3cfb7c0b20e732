using Microsoft.Extensions.Options;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;

namespace OnCall.Functions.Http;

public static class EndpointExtensions
{
    /// <summary>Maps an HTTP function at its catalogue route and methods, behind the key its access level asks for.</summary>
    public static RouteHandlerBuilder MapFunction(this IEndpointRouteBuilder app, HttpFunction function, Delegate handler)
    {
        var endpoint = app.MapMethods(function.Path, function.Methods, handler).WithName(function.Name);
        if (function.Access != Access.Anonymous)
        {
            var options = app.ServiceProvider.GetRequiredService<IOptions<OnCallOptions>>();
            endpoint.AddEndpointFilter(new AccessFilter(function.Access, options));
        }

        return endpoint;
    }
}
