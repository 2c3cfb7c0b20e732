using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace OnCall.Functions.Catalogue;

/// <summary>
/// Standalone mode's stand-in for the worker's invocation: creates the function's class from the invocation's
/// services (as the worker's function activator does) and binds its parameters as the worker does: the trigger
/// parameter from the trigger, a <see cref="CancellationToken"/>, and any other parameter by name from the
/// trigger's binding data (route values; a queue message's <c>Id</c> and <c>DequeueCount</c>), case-insensitively.
/// </summary>
public static class FunctionInvoker
{
    private static readonly ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    public static async Task<IActionResult> InvokeHttpAsync(HttpFunction function, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var routeValues = context.Request.RouteValues.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        return await (Task<IActionResult>)Invoke(function, context.RequestServices, context.Request, routeValues, context.RequestAborted);
    }

    public static Task InvokeAsync(
        FunctionDefinition function,
        IServiceProvider services,
        object trigger,
        IReadOnlyDictionary<string, object?> bindingData,
        CancellationToken cancellationToken = default) =>
        Invoke(function, services, trigger, bindingData.ToDictionary(StringComparer.OrdinalIgnoreCase), cancellationToken);

    // Function classes own nothing disposable: their services belong to the invocation's scope.
    private static Task Invoke(
        FunctionDefinition function,
        IServiceProvider services,
        object trigger,
        Dictionary<string, object?> bindingData,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        var method = function.Method;
        var arguments = method.GetParameters().Select(p => Bind(p, trigger, bindingData, cancellationToken)).ToArray();
        var instance = method.IsStatic
            ? null
            : Factories.GetOrAdd(method.DeclaringType!, t => ActivatorUtilities.CreateFactory(t, Type.EmptyTypes))(services, null);
        return (Task)method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, CultureInfo.InvariantCulture)!;
    }

    private static object? Bind(
        ParameterInfo parameter,
        object trigger,
        Dictionary<string, object?> bindingData,
        CancellationToken cancellationToken)
    {
        if (parameter.GetCustomAttributes().Any(a => a is TriggerBindingAttribute))
        {
            return trigger;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return cancellationToken;
        }

        if (bindingData.TryGetValue(parameter.Name!, out var value) && value is not null)
        {
            var target = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            return target.IsInstanceOfType(value) ? value : Convert.ChangeType(value.ToString(), target, CultureInfo.InvariantCulture);
        }

        return parameter.HasDefaultValue ? parameter.DefaultValue
            : !parameter.ParameterType.IsValueType || Nullable.GetUnderlyingType(parameter.ParameterType) is not null ? null
            : throw new InvalidOperationException($"No value for parameter '{parameter.Name}' of {parameter.Member.Name}.");
    }
}
