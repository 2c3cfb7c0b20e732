using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

/// <summary>The app against a fake Google Calendar, its timers run by hand, with the sample rotation writing to <see cref="CalendarId"/>.</summary>
internal sealed class GoogleSyncKit : IAsyncDisposable
{
    public const string CalendarId = "platform-oncall@group.calendar.google.com";

    private GoogleSyncKit(FakeGoogleCalendar google, TestApp app, FakeTimeProvider? clock)
    {
        Google = google;
        App = app;
        Clock = clock;
    }

    public FakeGoogleCalendar Google { get; }

    public TestApp App { get; }

    public FakeTimeProvider? Clock { get; }

    public string? FeedUrl { get; private set; }

    /// <summary>The app at <see cref="Api.Now"/> on a fake clock, or (<paramref name="realClock"/>) on the system clock, which retries that wait out Retry-After need.</summary>
    public static async Task<GoogleSyncKit> StartAsync(AzuriteFixture azurite, bool realClock = false, IDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        var google = new FakeGoogleCalendar();
        await google.StartAsync();
        var all = Settings(google);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var clock = realClock ? null : Clocks.At(Api.Now);
        var app = await TestApp.StartAsync(azurite.ConnectionString, clock, all, services: services);
        return new GoogleSyncKit(google, app, clock);
    }

    public static Dictionary<string, string> Settings(FakeGoogleCalendar google) => new()
    {
        ["AzureWebJobs.PlanHandoffs.Disabled"] = "true",
        ["AzureWebJobs.FlagMissedHandoffs.Disabled"] = "true",
        ["AzureWebJobs.PruneFeedLedger.Disabled"] = "true",
        ["AzureWebJobs.SyncCalendars.Disabled"] = "true",
        ["OnCall:Google:ServiceAccountJson"] = google.ServiceAccountJson,
        ["OnCall:Google:BaseUrl"] = google.BaseAddress.AbsoluteUri,
        ["OnCall:Google:RetryBaseDelay"] = "00:00:00.050",
        ["OnCall:Google:Http:RetryBaseDelay"] = "00:00:00.050",
        ["OnCall:Google:Http:AttemptTimeout"] = "00:00:02",
        ["OnCall:Google:Http:TotalTimeout"] = "00:00:20",
    };

    public static JsonObject Rotation(string id = "platform", string? calendarId = CalendarId)
    {
        var rotation = Api.Rotation(id);
        rotation["calendarId"] = calendarId;
        return rotation;
    }

    public async Task CreateAsync(JsonObject? rotation = null) =>
        FeedUrl = (await App.CreateAsync(rotation ?? Rotation()))["feedUrl"]!.GetValue<string>();

    /// <summary>Runs SyncCalendars as an operator would and returns the rotation's sync status.</summary>
    public async Task<JsonObject> SyncAsync(string rotation = "platform")
    {
        using var run = await App.Admin.PostAsync("/api/ops/run/SyncCalendars", null);
        Assert.True(run.IsSuccessStatusCode, await run.Content.ReadAsStringAsync());
        return await StatusAsync(rotation);
    }

    public async Task<JsonObject> StatusAsync(string rotation = "platform") =>
        (await App.Reader.GetJsonAsync($"/api/rotations/{rotation}/sync")).AsObject();

    /// <summary>Our events in the calendar that are not deleted, by id.</summary>
    public IReadOnlyDictionary<string, JsonObject> Ours(string rotation = "platform") =>
        Google.EventsIn(CalendarId)
            .Where(e => e.Value["extendedProperties"]?["private"]?["oncallRotation"]?.GetValue<string>() == rotation)
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    public int Writes => Google.Calls.Count;

    /// <summary>
    /// The ICS feed (read with the independent parser) and Google show the same shifts from a day ago to the horizon:
    /// the same ids, starts, ends and titles, the cancelled ones in neither.
    /// </summary>
    public async Task AssertFeedAgreesAsync()
    {
        var now = (Clock ?? TimeProvider.System).GetUtcNow();
        var feed = await IndependentIcsReader.ReadAsync(await App.Client.GetStringAsync(FeedUrl));
        var fromFeed = feed.Events
            .Where(e => e.Status != "CANCELLED" && e.End > now.AddDays(-1))
            .ToDictionary(e => e.Uid.Split('@')[0], e => (e.Start, e.End, e.Summary), StringComparer.Ordinal);
        var fromGoogle = Ours()
            .Where(e => Parse(e.Value["end"]!["dateTime"]!) > now.AddDays(-1))
            .ToDictionary(e => e.Key, e => (Parse(e.Value["start"]!["dateTime"]!), Parse(e.Value["end"]!["dateTime"]!), e.Value["summary"]!.GetValue<string>()), StringComparer.Ordinal);
        Assert.NotEmpty(fromFeed);
        Assert.Equal(fromFeed.OrderBy(e => e.Key, StringComparer.Ordinal), fromGoogle.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    public static DateTimeOffset Parse(JsonNode value) => DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Google.DisposeAsync();
    }
}
