using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Http;

public static class EndpointExtensions
{
    /// <summary>Maps an HTTP function at its catalogue route and methods, behind the admin key when it is a write.</summary>
    public static RouteHandlerBuilder MapFunction(this IEndpointRouteBuilder app, HttpFunction function, Delegate handler)
    {
        var endpoint = app.MapMethods(function.Path, function.Methods, handler).WithName(function.Name);
        if (function.Auth == AuthLevel.Function)
        {
            endpoint.AddEndpointFilter<AdminKeyFilter>();
        }

        return endpoint;
    }
}
