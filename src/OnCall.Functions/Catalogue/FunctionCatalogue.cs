using OnCall.Core.Handoffs;
using OnCall.Core.Incidents;
using OnCall.Core.Jobs;

namespace OnCall.Functions.Catalogue;

/// <summary>
/// Who may call an HTTP function. Standalone, <see cref="Read"/> takes the admin or the read-only key and
/// <see cref="Admin"/> only the admin key; under the Functions host both are <c>authLevel: function</c>.
/// </summary>
public enum Access
{
    Anonymous,
    Read,
    Admin,
}

/// <summary>A function, declared once: its trigger drives the generated function.json and both hosts.</summary>
public abstract record FunctionDefinition(string Name);

/// <summary>An HTTP function at <c>/api/{Route}</c>.</summary>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, Access Access) : FunctionDefinition(Name)
{
    public const string RoutePrefix = "api";

    public string Path => $"/{RoutePrefix}/{Route}";

    /// <summary>The Functions host's auth level: any key-protected function needs a function key there.</summary>
    public string AuthLevel => Access == Access.Anonymous ? "anonymous" : "function";
}

/// <summary>A timer function; its NCRONTAB schedule (six fields, with seconds) comes from <see cref="ScheduleSetting"/>.</summary>
public abstract record TimerFunction(string Name, string DefaultSchedule) : FunctionDefinition(Name)
{
    public string ScheduleSetting => $"OnCall:Schedules:{Name}";

    /// <summary>The app-setting name as the Functions host resolves <c>%…%</c> on Linux, where ':' cannot appear.</summary>
    public string ScheduleAppSetting => ScheduleSetting.Replace(":", "__", StringComparison.Ordinal);

    public abstract Type JobType { get; }

    public abstract Task RunAsync(IServiceProvider services, CancellationToken cancellationToken = default);
}

/// <summary>A timer function whose work is <typeparamref name="TJob"/>, resolved from the app's services.</summary>
public sealed record TimerFunction<TJob>(string Name, string DefaultSchedule) : TimerFunction(Name, DefaultSchedule)
    where TJob : class, ITimerJob
{
    public override Type JobType => typeof(TJob);

    public override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<TJob>().RunAsync(cancellationToken);
}

/// <summary>One message as a queue trigger receives it, before its body is read as the queue's message type.</summary>
public sealed record ReceivedMessage(string Id, string Body, long DequeueCount);

/// <summary>A queue function: each message of <see cref="Queue"/> (stored as <c>{prefix}-{Queue}</c>) goes to its job.</summary>
public abstract record QueueFunction(string Name, string Queue) : FunctionDefinition(Name)
{
    public const string BindingName = "message";

    /// <summary>The queue name as function.json gives it: the storage prefix comes from the app setting.</summary>
    public string QueueNameExpression => $"%OnCall__Storage__Prefix%-{Queue}";

    public string PoisonQueue => $"{Queue}-poison";

    public abstract Type JobType { get; }

    /// <summary>Reads the message as the queue's type and hands it to the job; <see cref="UnreadableMessageException"/> when it is not one.</summary>
    public abstract Task InvokeAsync(IServiceProvider services, ReceivedMessage message, CancellationToken cancellationToken = default);
}

/// <summary>A queue function carrying <typeparamref name="TMessage"/> to <typeparamref name="TJob"/>.</summary>
public sealed record QueueFunction<TMessage, TJob>(string Name, WorkQueueName<TMessage> WorkQueue) : QueueFunction(Name, WorkQueue.Name)
    where TJob : class, IQueueJob<TMessage>
{
    public override Type JobType => typeof(TJob);

    public override Task InvokeAsync(IServiceProvider services, ReceivedMessage message, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<TJob>().HandleAsync(
            new WorkItem<TMessage>(message.Id, WorkQueueJson.Deserialize<TMessage>(message.Body), message.DequeueCount),
            cancellationToken);
}

/// <summary>
/// Every function of the app, in one list that the standalone scheduler, the queue listener, the custom-handler
/// endpoint, the admin routes and the function.json writer all read, so a function cannot be declared and then
/// never run. The app registers <see cref="Default"/>; tests may register a catalogue with extra functions.
/// </summary>
public sealed class FunctionCatalogue
{
    public static readonly HttpFunction Health = new("Health", "health", ["GET"], Access.Anonymous);
    public static readonly HttpFunction ListRotations = new("ListRotations", "rotations", ["GET"], Access.Read);
    public static readonly HttpFunction GetRotation = new("GetRotation", "rotations/{id}", ["GET"], Access.Read);
    public static readonly HttpFunction PutRotation = new("PutRotation", "rotations/{id}", ["PUT"], Access.Admin);
    public static readonly HttpFunction DeleteRotation = new("DeleteRotation", "rotations/{id}", ["DELETE"], Access.Admin);
    public static readonly HttpFunction GetShifts = new("GetShifts", "rotations/{id}/shifts", ["GET"], Access.Read);
    public static readonly HttpFunction GetOnCall = new("GetOnCall", "rotations/{id}/oncall", ["GET"], Access.Read);
    public static readonly HttpFunction AddOverride = new("AddOverride", "rotations/{id}/overrides", ["POST"], Access.Admin);
    public static readonly HttpFunction DeleteOverride = new("DeleteOverride", "rotations/{id}/overrides/{overrideId}", ["DELETE"], Access.Admin);
    public static readonly HttpFunction RotateFeedToken = new("RotateFeedToken", "rotations/{id}/feed-token", ["POST"], Access.Admin);

    /// <summary>Anonymous: the feed's own unguessable token protects it, because calendar apps cannot send keys.</summary>
    public static readonly HttpFunction GetCalendarFeed = new("GetCalendarFeed", "rotations/{id}/calendar.ics", ["GET"], Access.Anonymous);

    public static readonly HttpFunction GetCalendarSync = new("GetCalendarSync", "rotations/{id}/sync", ["GET"], Access.Read);

    public static readonly HttpFunction RunTimer = new("RunTimer", "admin/run/{function}", ["POST"], Access.Admin);
    public static readonly HttpFunction ListPoisonMessages = new("ListPoisonMessages", "admin/poison", ["GET"], Access.Admin);

    public static readonly HttpFunction ListHandoffs = new("ListHandoffs", "handoffs", ["GET"], Access.Read);
    public static readonly HttpFunction SetHandoffNotes = new("SetHandoffNotes", "handoffs/{id}/notes", ["POST"], Access.Admin);
    public static readonly HttpFunction AcknowledgeHandoff = new("AcknowledgeHandoff", "handoffs/{id}/acknowledge", ["POST"], Access.Admin);

    /// <summary>Anonymous: the link's HMAC signature protects it, because it is opened from a chat message.</summary>
    public static readonly HttpFunction SignedAcknowledgeHandoff = new("SignedAcknowledgeHandoff", "handoffs/{id}/ack", ["GET", "POST"], Access.Anonymous);

    /// <summary>
    /// Anonymous: the page and its script hold no data; they read the API with the key the viewer enters.
    /// Standalone, <c>/</c> serves the page too.
    /// </summary>
    public static readonly HttpFunction Page = new("Page", "page/{asset?}", ["GET"], Access.Anonymous);

    /// <summary>Anonymous: each webhook source has its own secret (Bearer, HMAC signature or ?code=), checked by the endpoint.</summary>
    public static readonly HttpFunction ReportIncident = new("ReportIncident", "incidents", ["POST"], Access.Anonymous);

    /// <inheritdoc cref="ReportIncident"/>
    public static readonly HttpFunction ReportAlertmanagerAlert = new("ReportAlertmanagerAlert", "incidents/alertmanager", ["POST"], Access.Anonymous);

    /// <inheritdoc cref="ReportIncident"/>
    public static readonly HttpFunction ReportAzureMonitorAlert = new("ReportAzureMonitorAlert", "incidents/azure-monitor", ["POST"], Access.Anonymous);

    /// <inheritdoc cref="ReportIncident"/>
    public static readonly HttpFunction ReportGrafanaAlert = new("ReportGrafanaAlert", "incidents/grafana", ["POST"], Access.Anonymous);

    public static readonly HttpFunction ListIncidents = new("ListIncidents", "incidents", ["GET"], Access.Read);
    public static readonly HttpFunction GetIncident = new("GetIncident", "incidents/{id}", ["GET"], Access.Read);
    public static readonly HttpFunction SetIncidentStatus = new("SetIncidentStatus", "incidents/{id}/status", ["POST"], Access.Admin);
    public static readonly HttpFunction RequeuePoisonMessages = new("RequeuePoisonMessages", "admin/poison/{queue}/requeue", ["POST"], Access.Admin);

    public static readonly QueueFunction ProcessIncidentEvent = new QueueFunction<IncidentEvent, ProcessIncidentEventJob>("ProcessIncidentEvent", IncidentQueues.Events);

    public static readonly TimerFunction PruneFeedLedger = new TimerFunction<PruneFeedLedgerJob>("PruneFeedLedger", "0 30 3 * * *");
    public static readonly TimerFunction PlanHandoffs = new TimerFunction<PlanHandoffsJob>("PlanHandoffs", "0 */5 * * * *");
    public static readonly TimerFunction FlagMissedHandoffs = new TimerFunction<FlagMissedHandoffsJob>("FlagMissedHandoffs", "30 */5 * * * *");
    public static readonly TimerFunction SyncCalendars = new TimerFunction<SyncCalendarsJob>("SyncCalendars", "0 */5 * * * *");
    public static readonly TimerFunction RemindStatuspageOpen = new TimerFunction<RemindStatuspageOpenJob>("RemindStatuspageOpen", "15 */5 * * * *");

    public FunctionCatalogue(IEnumerable<FunctionDefinition> functions)
    {
        All = [.. functions];
        var duplicate = All.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The function name '{duplicate.Key}' is declared twice.", nameof(functions));
        }
    }

    public static FunctionCatalogue Default { get; } = new(
    [
        Health, ListRotations, GetRotation, PutRotation, DeleteRotation, GetShifts, GetOnCall, AddOverride, DeleteOverride,
        RotateFeedToken, GetCalendarFeed, GetCalendarSync, RunTimer, ListPoisonMessages, ListHandoffs, SetHandoffNotes, AcknowledgeHandoff,
        SignedAcknowledgeHandoff, Page, ReportIncident, ReportAlertmanagerAlert, ReportAzureMonitorAlert, ReportGrafanaAlert, ListIncidents,
        GetIncident, SetIncidentStatus, RequeuePoisonMessages, ProcessIncidentEvent, PruneFeedLedger, PlanHandoffs, FlagMissedHandoffs,
        SyncCalendars, RemindStatuspageOpen,
    ]);

    public IReadOnlyList<FunctionDefinition> All { get; }

    public IEnumerable<HttpFunction> Http => All.OfType<HttpFunction>();

    public IEnumerable<TimerFunction> Timers => All.OfType<TimerFunction>();

    public IEnumerable<QueueFunction> Queues => All.OfType<QueueFunction>();

    /// <summary>This catalogue plus <paramref name="extra"/> (tests add functions of their own).</summary>
    public FunctionCatalogue With(params FunctionDefinition[] extra) => new([.. All, .. extra]);

    public TimerFunction? FindTimer(string name) => Find<TimerFunction>(name);

    /// <summary>A function the Functions host invokes as <c>POST /{name}</c>: a timer or a queue function.</summary>
    public FunctionDefinition? FindInvocable(string name) => (FunctionDefinition?)FindTimer(name) ?? Find<QueueFunction>(name);

    /// <summary>
    /// Fails start-up naming every timer or queue function whose job is not registered: otherwise it would be
    /// declared, published to the host, and fail only when it first fires.
    /// </summary>
    public void EnsureJobsRegistered(IServiceProviderIsService services)
    {
        var missing = All
            .Select(f => f switch { TimerFunction t => (f.Name, Job: t.JobType), QueueFunction q => (f.Name, Job: q.JobType), _ => (f.Name, Job: (Type?)null) })
            .Where(f => f.Job is not null && !services.IsService(f.Job))
            .Select(f => $"{f.Name} ({f.Job!.Name})")
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Functions declared without a registered job: {string.Join(", ", missing)}. Register each job in its feature's AddXyz.");
        }
    }

    private T? Find<T>(string name)
        where T : FunctionDefinition =>
        All.OfType<T>().FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}
