using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace OnCall.Functions.Catalogue;

/// <summary>
/// A <c>[Function]</c> method, read from its attributes: the same declaration the Functions SDK turns into
/// <c>functions.metadata</c> for the host, and that standalone mode serves, schedules and listens for.
/// </summary>
public abstract record FunctionDefinition(string Name, MethodInfo Method);

/// <summary>An HTTP function at <c>/api/{Route}</c>; anonymous at the host, because the app checks its own keys.</summary>
public sealed record HttpFunction(
    string Name,
    string Route,
    IReadOnlyList<string> Methods,
    MethodInfo Method) : FunctionDefinition(Name, Method)
{
    public const string RoutePrefix = "api";

    public string Path => $"/{RoutePrefix}/{Route}";

    /// <summary>
    /// What its standalone endpoint carries for the OpenAPI generator: the method and the method's attributes (summary,
    /// body, answers, problems, key), declared beside the function.
    /// </summary>
    public IReadOnlyList<object> Metadata => [Method, .. Method.GetCustomAttributes(inherit: true)];
}

/// <summary>A timer function; its NCRONTAB schedule (six fields, with seconds) is the app setting <see cref="Schedule"/> names.</summary>
public sealed record TimerFunction(
    string Name,
    string Schedule,
    string DefaultSchedule,
    MethodInfo Method) : FunctionDefinition(Name, Method)
{
    /// <summary>The app-setting name as the host resolves <c>%…%</c> (Linux form, <c>__</c> for sections).</summary>
    public string ScheduleAppSetting => Schedule.Trim('%');

    /// <summary>The same setting as .NET configuration reads it.</summary>
    public string ScheduleSetting => ScheduleAppSetting.Replace("__", ":", StringComparison.Ordinal);
}

/// <summary>
/// A queue function: each message of <see cref="Queue"/> (stored as <c>{prefix}-{Queue}</c>) is read as <see
/// cref="MessageType"/>.
/// </summary>
public sealed record QueueFunction(
    string Name,
    string QueueNameExpression,
    string Connection,
    Type MessageType,
    MethodInfo Method) : FunctionDefinition(Name, Method)
{
    /// <summary>Every queue name starts with the storage prefix setting, so tests and apps sharing an account stay apart.</summary>
    public const string PrefixExpression = "%OnCall__Storage__Prefix%-";

    /// <summary>The queue's declared name, without the prefix.</summary>
    public string Queue => QueueNameExpression[PrefixExpression.Length..];

    public string PoisonQueue => $"{Queue}-poison";
}

/// <summary>
/// Every function of the app, read once from the <c>[Function]</c> methods of its assembly: the standalone router,
/// scheduler and queue listener and the operations routes all read this list, and a test holds it against the
/// SDK-generated <c>functions.metadata</c>, so the two hosting modes cannot drift. Tests may add classes of their own.
/// </summary>
public sealed class FunctionCatalogue
{
    private FunctionCatalogue(IEnumerable<Type> types)
    {
        Types = [.. types.Distinct()];
        All = [.. Types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(IsFunction)
            .Select(Read)
            .OrderBy(f => f.Name, StringComparer.Ordinal)];
        var duplicate = All.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The function name '{duplicate.Key}' is declared twice.", nameof(types));
        }
    }

    public static FunctionCatalogue Default { get; } = FromAssembly(typeof(FunctionCatalogue).Assembly);

    /// <summary>The classes that declare the functions; each is created per invocation from the app's services.</summary>
    public IReadOnlyList<Type> Types { get; }

    public IReadOnlyList<FunctionDefinition> All { get; }

    public IEnumerable<HttpFunction> Http => All.OfType<HttpFunction>();

    public IEnumerable<TimerFunction> Timers => All.OfType<TimerFunction>();

    public IEnumerable<QueueFunction> Queues => All.OfType<QueueFunction>();

    // This runs at start-up: only public classes can hold functions (the worker calls them), so the assembly's other types
    // (closures, state machines) are never loaded, and IsDefined reads metadata without creating every method's attributes.
    public static FunctionCatalogue FromAssembly(Assembly assembly) =>
        new(assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract && t.GetMethods().Any(IsFunction)));

    /// <summary>This catalogue plus the functions of <paramref name="types"/> (tests add functions of their own).</summary>
    public FunctionCatalogue With(params Type[] types) => new([.. Types, .. types]);

    public TimerFunction? FindTimer(string name) =>
        All.OfType<TimerFunction>().FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Fails start-up naming every function class that the app's services cannot create, rather than at its first
    /// invocation.
    /// </summary>
    public void EnsureActivatable(IServiceProviderIsService services)
    {
        var missing = Types
            .SelectMany(t => t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).Take(1)
                .SelectMany(c => c.GetParameters())
                .Where(p => !services.IsService(p.ParameterType))
                .Select(p => $"{t.Name} needs {p.ParameterType.Name}"))
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Function classes whose services are not registered: {string.Join(", ", missing)}. Register each in its "
                + "feature's AddXyz.");
        }
    }

    private static bool IsFunction(MethodInfo method) => method.IsDefined(typeof(FunctionAttribute), inherit: true);

    private static FunctionDefinition Read(MethodInfo method)
    {
        var name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
        var parameters = method.GetParameters();
        if (parameters.Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null))
        {
            var trigger = parameters.Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;
            Require(
                method,
                trigger.AuthLevel == AuthorizationLevel.Anonymous,
                "is anonymous at the host: the app checks its own keys, the same in both modes");
            Require(
                method,
                method.ReturnType == typeof(Task<IActionResult>),
                "returns Task<IActionResult>, which the worker's ASP.NET Core integration executes");
            Require(method, trigger.Route is { Length: > 0 }, "declares its route");
            return new HttpFunction(name, trigger.Route!, [.. (trigger.Methods ?? []).Select(m => m.ToUpperInvariant())], method);
        }

        Require(method, method.ReturnType == typeof(Task), "returns Task");
        if (parameters.Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).SingleOrDefault(a => a is not null) is { } timer)
        {
            var defaultSchedule = method.GetCustomAttribute<DefaultScheduleAttribute>();
            Require(
                method,
                timer.Schedule.StartsWith('%') && timer.Schedule.EndsWith('%') && defaultSchedule is not null,
                "takes its schedule from an app setting (%…%) and has a [DefaultSchedule]");
            return new TimerFunction(name, timer.Schedule, defaultSchedule!.Expression, method);
        }

        var queueParameter = parameters.SingleOrDefault(p => p.GetCustomAttribute<QueueTriggerAttribute>() is not null);
        if (queueParameter is not null)
        {
            var queue = queueParameter.GetCustomAttribute<QueueTriggerAttribute>()!;
            Require(
                method,
                queue.QueueName.StartsWith(QueueFunction.PrefixExpression, StringComparison.Ordinal),
                $"reads a queue named {QueueFunction.PrefixExpression}<name>");
            return new QueueFunction(
                name,
                queue.QueueName,
                queue.Connection ?? "AzureWebJobsStorage",
                queueParameter.ParameterType,
                method);
        }

        throw new NotSupportedException(
            $"{method.DeclaringType?.Name}.{method.Name}: only HTTP, timer and queue triggers are served standalone.");
    }

    private static void Require(MethodInfo method, bool condition, string rule)
    {
        if (!condition)
        {
            throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name}: a function here {rule}.");
        }
    }
}

/// <summary>
/// The schedule standalone mode uses when <c>OnCall:Schedules:{Function}</c> is not set (the Bicep sets it for the
/// host).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DefaultScheduleAttribute(string expression) : Attribute
{
    public string Expression { get; } = expression;
}
