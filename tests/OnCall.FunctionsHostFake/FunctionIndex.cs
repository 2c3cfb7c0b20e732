using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace OnCall.FunctionsHostFake;

/// <summary>
/// What the host does with the worker's FunctionMetadataResponse before it loads functions: parse each raw binding
/// (BindingMetadata.Create), validate (WorkerFunctionMetadataProvider.ValidateMetadata / ValidateBindings, Utility.ValidateName,
/// Utility.ValidateBinding), and what the binding extensions check when the JobHost indexes the function
/// (app-setting expressions, the storage connection, the timer schedule).
/// </summary>
internal static partial class FunctionIndex
{
    public static IndexedFunction Parse(RpcFunctionMetadata metadata)
    {
        var bindings = new List<FunctionBinding>();
        foreach (string raw in metadata.RawBindings)
        {
            bindings.Add(ParseBinding(raw));
        }

        FunctionRetry? retry = metadata.RetryOptions is { } r
            ? new FunctionRetry(
                r.RetryStrategy == RpcRetryOptions.Types.RetryStrategy.FixedDelay ? "FixedDelay" : "ExponentialBackoff",
                r.MaxRetryCount,
                r.DelayInterval?.ToTimeSpan(),
                r.MinimumInterval?.ToTimeSpan(),
                r.MaximumInterval?.ToTimeSpan())
            : null;

        return new IndexedFunction(metadata.Name, metadata.FunctionId, metadata.EntryPoint, metadata.ScriptFile, metadata.Language, bindings, retry)
        {
            Properties = metadata.Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
        };
    }

    private static FunctionBinding ParseBinding(string raw)
    {
        using JsonDocument document = JsonDocument.Parse(raw);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"A raw binding is not a JSON object: {raw}");
        }

        string? name = null, type = null, direction = null, dataType = null;
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            string? text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null => null,
                _ => property.Value.GetRawText(),
            };

            switch (property.Name.ToUpperInvariant())
            {
                case "NAME": name = text; break;
                case "TYPE": type = text; break;
                case "DIRECTION": direction = text; break;
                case "DATATYPE": dataType = text; break;
                default:
                    if (text is not null)
                    {
                        properties[property.Name] = text;
                    }

                    break;
            }
        }

        // BindingMetadata's enums go through StringEnumConverter: case-insensitive names (or numbers).
        string normalizedDirection = NormalizeEnum(direction ?? "In", ["In", "Out", "InOut"])
            ?? throw new FormatException($"'{direction}' is not a valid binding direction.");
        string? normalizedDataType = dataType is null ? null : NormalizeEnum(dataType, ["Undefined", "String", "Binary", "Stream"])
            ?? throw new FormatException($"'{dataType}' is not a valid binding data type.");

        return new FunctionBinding(name ?? "", type ?? "", normalizedDirection, normalizedDataType, properties, raw);
    }

    /// <summary>
    /// The host's validation. <paramref name="hostErrors"/>: what WorkerFunctionMetadataProvider.ValidateMetadata rejects, so the
    /// host never loads the function. <paramref name="bindingErrors"/>: what the binding extensions reject when the JobHost
    /// indexes the function, after it was loaded in the worker; either way the function is in error and never runs.
    /// </summary>
    public static void Validate(IndexedFunction function, Func<string, string?> appSetting, out List<string> hostErrors, out List<string> bindingErrors)
    {
        var errors = new List<string>();
        hostErrors = errors;
        bindingErrors = [];
        if (!FunctionName().IsMatch(function.Name))
        {
            errors.Add($"'{function.Name}' is not a valid function name.");
        }

        if (function.Bindings.Count == 0)
        {
            errors.Add("At least one binding must be declared.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (FunctionBinding binding in function.Bindings)
        {
            if (!BindingName().IsMatch(binding.Name))
            {
                errors.Add($"The binding name {binding.Name} is invalid. Please assign a valid name to the binding.");
            }

            if (binding.Name.Equals("$return", StringComparison.OrdinalIgnoreCase) && binding.Direction != "Out")
            {
                errors.Add("$return bindings must specify a direction of 'out'.");
            }

            if (binding.Type.Length == 0)
            {
                errors.Add($"Binding '{binding.Name}' is invalid. Bindings must specify a Type.");
            }

            if (!names.Add(binding.Name))
            {
                errors.Add($"Multiple bindings with name '{binding.Name}' discovered. Binding names must be unique.");
            }
        }

        int triggers = function.Bindings.Count(b => b.IsTrigger && b.Direction == "In");
        if (triggers == 0)
        {
            errors.Add("No trigger binding specified. A function must have a trigger input binding.");
        }
        else if (triggers > 1)
        {
            errors.Add("Multiple trigger bindings defined. A function can only have a single trigger binding.");
        }

        foreach (FunctionBinding binding in function.Bindings)
        {
            ValidateExtensionBinding(binding, appSetting, bindingErrors);
        }
    }

    /// <summary>Resolves "%name%" tokens against app settings, as INameResolver.ResolveWholeString does; null when one is missing.</summary>
    public static string? ResolveAppSettings(string value, Func<string, string?> appSetting, out string? missing)
    {
        missing = null;
        string? firstMissing = null;
        string resolved = AppSettingToken().Replace(value, match =>
        {
            string name = match.Groups[1].Value;
            string? setting = appSetting(name);
            if (setting is null)
            {
                firstMissing ??= name;
                return match.Value;
            }

            return setting;
        });

        missing = firstMissing;
        return firstMissing is null ? resolved : null;
    }

    private static void ValidateExtensionBinding(FunctionBinding binding, Func<string, string?> appSetting, List<string> errors)
    {
        // Trigger and binding attributes resolve %app setting% expressions when the JobHost indexes the function
        // (AutoResolve / TimerSchedule.Create); one that does not resolve puts the function in error.
        var resolved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string value) in binding.Properties)
        {
            if (!value.Contains('%', StringComparison.Ordinal))
            {
                resolved[key] = value;
                continue;
            }

            string? result = ResolveAppSettings(value, appSetting, out string? missing);
            if (result is null)
            {
                errors.Add($"Binding '{binding.Name}' ({binding.Type}) property '{key}': '%{missing}%' does not resolve to a value.");
            }
            else
            {
                resolved[key] = result;
            }
        }

        if (binding.Type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase) || binding.Type.Equals("queue", StringComparison.OrdinalIgnoreCase))
        {
            if (resolved.TryGetValue("queueName", out string? queueName) && !QueueName().IsMatch(queueName))
            {
                errors.Add($"Binding '{binding.Name}' ({binding.Type}): '{queueName}' is not a valid queue name (3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit).");
            }

            string connection = binding.GetProperty("connection") is { Length: > 0 } c ? c : "AzureWebJobsStorage";
            if (!HasConnection(connection, appSetting))
            {
                errors.Add($"Binding '{binding.Name}' ({binding.Type}): storage connection '{connection}' is not configured (no app setting '{connection}', 'AzureWebJobs{connection}', or '{connection}__*' for an identity-based connection).");
            }
        }

        if (binding.Type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase) && resolved.TryGetValue("schedule", out string? schedule) && !IsValidSchedule(schedule))
        {
            errors.Add($"Binding '{binding.Name}' (timerTrigger): '{schedule}' was not recognized as a valid cron expression (six fields, seconds first) or timespan string.");
        }
    }

    private static bool HasConnection(string connection, Func<string, string?> appSetting)
    {
        foreach (string candidate in new[] { connection, "AzureWebJobs" + connection })
        {
            if (!string.IsNullOrEmpty(appSetting(candidate)))
            {
                return true;
            }

            foreach (string suffix in new[] { "accountName", "queueServiceUri", "serviceUri", "credential" })
            {
                if (!string.IsNullOrEmpty(appSetting(candidate + ":" + suffix)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // TimerSchedule.Create: NCrontab with seconds (six fields), else TimeSpan.TryParse.
    private static bool IsValidSchedule(string schedule)
    {
        string[] fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 6 && fields.All(f => CronField().IsMatch(f)))
        {
            return true;
        }

        return TimeSpan.TryParse(schedule, CultureInfo.InvariantCulture, out _);
    }

    private static string? NormalizeEnum(string value, string[] names)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            return index >= 0 && index < names.Length ? names[index] : null;
        }

        return names.FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]{0,127}$(?<!^host$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$", RegexOptions.CultureInvariant)]
    private static partial Regex BindingName();

    [GeneratedRegex(@"%([^%]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex AppSettingToken();

    [GeneratedRegex(@"^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueName();

    [GeneratedRegex(@"^[0-9A-Za-z*/,\-?LW#]+$", RegexOptions.CultureInvariant)]
    private static partial Regex CronField();
}
