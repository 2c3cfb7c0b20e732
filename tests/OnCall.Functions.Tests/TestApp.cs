using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>The real app, on real Kestrel at a free loopback port, against the test's Azurite and tables.</summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string ReadKey = "test-read-key-0123456789";

    private TestApp(WebApplication app, Uri baseAddress, string prefix)
    {
        App = app;
        BaseAddress = baseAddress;
        Prefix = prefix;
        Client = new HttpClient { BaseAddress = baseAddress };
        Admin = new HttpClient { BaseAddress = baseAddress };
        Admin.DefaultRequestHeaders.Add("x-functions-key", AdminKey);
        Reader = new HttpClient { BaseAddress = baseAddress };
        Reader.DefaultRequestHeaders.Add("x-functions-key", ReadKey);
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>The table/container prefix this app's data lives under.</summary>
    public string Prefix { get; }

    /// <summary>Anonymous client.</summary>
    public HttpClient Client { get; }

    /// <summary>Client that sends the admin key.</summary>
    public HttpClient Admin { get; }

    /// <summary>Client that sends the read-only key.</summary>
    public HttpClient Reader { get; }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<TestApp> StartAsync(
        string connectionString,
        FakeTimeProvider? clock = null,
        IDictionary<string, string>? settings = null,
        string? prefix = null,
        Action<IServiceCollection>? services = null)
    {
        prefix ??= AzuriteFixture.NewPrefix();
        var all = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = connectionString,
            ["OnCall:AdminKey"] = AdminKey,
            ["OnCall:ReadKey"] = ReadKey,
            ["OnCall:Storage:Prefix"] = prefix,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var args = all.Select(p => $"--{p.Key}={p.Value}").ToArray();
        var app = OnCallApplication.Build(args, builder =>
        {
            if (clock is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
            }

            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address), prefix);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        Reader.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
