using OnCall.Core.Jobs;

namespace OnCall.Functions.Catalogue;

/// <summary>Who may call an HTTP function. Under the Functions host, <see cref="Function"/> means a function key.</summary>
public enum AuthLevel
{
    Anonymous,
    Function,
}

/// <summary>A function, declared once: its trigger drives both the generated function.json and the standalone host.</summary>
public abstract record FunctionDefinition(string Name);

/// <summary>An HTTP function at <c>/api/{Route}</c>.</summary>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthLevel Auth) : FunctionDefinition(Name)
{
    public const string RoutePrefix = "api";

    public string Path => $"/{RoutePrefix}/{Route}";
}

/// <summary>A timer function; its NCRONTAB schedule (six fields, with seconds) comes from <see cref="ScheduleSetting"/>.</summary>
public sealed record TimerFunction(string Name, string DefaultSchedule, Type Job) : FunctionDefinition(Name)
{
    public string ScheduleSetting => $"OnCall:Schedules:{Name}";

    /// <summary>The app-setting name as the Functions host resolves <c>%…%</c> on Linux, where ':' cannot appear.</summary>
    public string ScheduleAppSetting => ScheduleSetting.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>
/// A queue function: each message of <see cref="Queue"/> (stored as <c>{prefix}-{Queue}</c>) goes to <see cref="Job"/>,
/// an <see cref="IQueueJob"/>.
/// </summary>
public sealed record QueueFunction(string Name, string Queue, Type Job) : FunctionDefinition(Name)
{
    /// <summary>The queue name as function.json gives it: the storage prefix comes from the app setting.</summary>
    public string QueueNameExpression => $"%OnCall__Storage__Prefix%-{Queue}";

    public const string BindingName = "message";

    public string PoisonQueue => $"{Queue}-poison";
}

/// <summary>Every function of the app.</summary>
public static class FunctionCatalogue
{
    public static readonly HttpFunction Health = new("Health", "health", ["GET"], AuthLevel.Anonymous);
    public static readonly HttpFunction ListRotations = new("ListRotations", "rotations", ["GET"], AuthLevel.Anonymous);
    public static readonly HttpFunction GetRotation = new("GetRotation", "rotations/{id}", ["GET"], AuthLevel.Anonymous);
    public static readonly HttpFunction PutRotation = new("PutRotation", "rotations/{id}", ["PUT"], AuthLevel.Function);
    public static readonly HttpFunction GetShifts = new("GetShifts", "rotations/{id}/shifts", ["GET"], AuthLevel.Anonymous);
    public static readonly HttpFunction GetOnCall = new("GetOnCall", "rotations/{id}/oncall", ["GET"], AuthLevel.Anonymous);
    public static readonly HttpFunction AddOverride = new("AddOverride", "rotations/{id}/overrides", ["POST"], AuthLevel.Function);
    public static readonly HttpFunction DeleteOverride = new("DeleteOverride", "rotations/{id}/overrides/{overrideId}", ["DELETE"], AuthLevel.Function);
    public static readonly HttpFunction RotateFeedToken = new("RotateFeedToken", "rotations/{id}/feed-token", ["POST"], AuthLevel.Function);
    public static readonly HttpFunction GetCalendarFeed = new("GetCalendarFeed", "rotations/{id}/calendar.ics", ["GET"], AuthLevel.Anonymous);
    public static readonly HttpFunction RunTimer = new("RunTimer", "admin/run/{function}", ["POST"], AuthLevel.Function);
    public static readonly HttpFunction ListPoisonMessages = new("ListPoisonMessages", "admin/poison", ["GET"], AuthLevel.Function);

    public static readonly TimerFunction PruneFeedLedger = new("PruneFeedLedger", "0 30 3 * * *", typeof(PruneFeedLedgerJob));

    public static IReadOnlyList<FunctionDefinition> All { get; } =
    [
        Health, ListRotations, GetRotation, PutRotation, GetShifts, GetOnCall, AddOverride, DeleteOverride,
        RotateFeedToken, GetCalendarFeed, RunTimer, ListPoisonMessages, PruneFeedLedger,
    ];

    public static IEnumerable<TimerFunction> Timers => All.OfType<TimerFunction>();

    public static IEnumerable<QueueFunction> Queues => All.OfType<QueueFunction>();

    public static TimerFunction? FindTimer(string name) =>
        Timers.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
