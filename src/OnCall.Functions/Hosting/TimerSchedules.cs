using Cronos;
using Microsoft.Extensions.Options;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Hosting;

/// <summary>Each timer's NCRONTAB expression: <c>OnCall:Schedules:{Function}</c>, else the catalogue's default.</summary>
public sealed class TimerScheduleOptions
{
    public Dictionary<string, string> Expressions { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Timers switched off with the Functions host's own setting, <c>AzureWebJobs.{Function}.Disabled</c> (or
    /// <c>AzureWebJobs__{Function}__Disabled</c>).
    /// </summary>
    public HashSet<string> Disabled { get; } = new(StringComparer.Ordinal);

    public CronExpression For(TimerFunction function) => CronExpression.Parse(Expressions[function.Name], CronFormat.IncludeSeconds);

    public static void Configure(TimerScheduleOptions options, IConfiguration configuration, FunctionCatalogue catalogue)
    {
        foreach (var timer in catalogue.Timers)
        {
            options.Expressions[timer.Name] = configuration[timer.ScheduleSetting] is { Length: > 0 } configured
                ? configured
                : timer.DefaultSchedule;
            if (FunctionSwitch.IsDisabled(configuration, timer.Name))
            {
                options.Disabled.Add(timer.Name);
            }
        }
    }
}

/// <summary>Fails start-up on a schedule that does not parse, naming the setting.</summary>
public sealed class TimerScheduleValidator(FunctionCatalogue catalogue) : IValidateOptions<TimerScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, TimerScheduleOptions options)
    {
        var failures = catalogue.Timers
            .Where(t => !CronExpression.TryParse(options.Expressions.GetValueOrDefault(t.Name) ?? "", CronFormat.IncludeSeconds, out _))
            .Select(t => $"{t.ScheduleSetting} '{options.Expressions.GetValueOrDefault(t.Name)}' is not an NCRONTAB expression "
                + "with six fields (seconds first), e.g. '0 */5 * * * *'.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// The host's switch for one function: <c>AzureWebJobs.{Function}.Disabled</c>, or on Linux, where app-setting names
/// cannot hold dots, <c>AzureWebJobs__{Function}__Disabled</c> (read by .NET configuration as <c>AzureWebJobs:{Function}:Disabled</c>).
/// </summary>
public static class FunctionSwitch
{
    public static bool IsDisabled(IConfiguration configuration, string function) =>
        configuration.GetValue<bool>($"AzureWebJobs.{function}.Disabled")
        || configuration.GetValue<bool>($"AzureWebJobs:{function}:Disabled");
}
