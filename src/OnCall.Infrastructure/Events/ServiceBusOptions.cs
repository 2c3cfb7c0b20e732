using System.ComponentModel.DataAnnotations;
using Azure.Messaging.ServiceBus;
using OnCall.Core.Handoffs;

namespace OnCall.Infrastructure.Events;

/// <summary>
/// Where domain events go, bound from <c>OnCall:ServiceBus</c>: a <see cref="ConnectionString"/> (a secret: never
/// logged nor quoted), or a <see cref="Namespace"/> reached with the app's identity. Off until one of them is set.
/// </summary>
public sealed class ServiceBusOptions : IValidatableObject
{
    public const string Section = "OnCall:ServiceBus";

    /// <summary><c>Endpoint=sb://…/;SharedAccessKeyName=…;SharedAccessKey=…</c>, as the portal shows it.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The fully qualified namespace, <c>my-namespace.servicebus.windows.net</c> (a URL is read for its host), for
    /// identity-based sending.
    /// </summary>
    public string? Namespace { get; set; }

    /// <summary>The client id of a user-assigned identity; empty for the system-assigned one.</summary>
    public string? ClientId { get; set; }

    [Required]
    [RegularExpression(
        "^[A-Za-z0-9][A-Za-z0-9._/-]{0,259}$",
        ErrorMessage = "OnCall:ServiceBus:Topic must be a topic name (letters, digits, '.', '_', '-', '/').")]
    public string Topic { get; set; } = "oncall-events";

    /// <summary>The SDK's own retries of one send, from <c>OnCall:ServiceBus:Retry</c>.</summary>
    public ServiceBusRetrySettings Retry { get; set; } = new();

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(Namespace);

    /// <summary>The host of <see cref="Namespace"/>, given as a host name or as a URL.</summary>
    internal static string HostOf(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : value.Trim().TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString) && !string.IsNullOrWhiteSpace(Namespace))
        {
            yield return new ValidationResult(
                "Set OnCall:ServiceBus:ConnectionString or OnCall:ServiceBus:Namespace, not both.",
                [nameof(Namespace)]);
        }

        // The message names what is wrong, never the value: a connection string holds the key.
        if (!string.IsNullOrWhiteSpace(ConnectionString) && ConnectionStringProblem(ConnectionString, Topic) is { } problem)
        {
            yield return new ValidationResult($"OnCall:ServiceBus:ConnectionString {problem}.", [nameof(ConnectionString)]);
        }

        if (!string.IsNullOrWhiteSpace(Namespace) && Uri.CheckHostName(HostOf(Namespace)) != UriHostNameType.Dns)
        {
            yield return new ValidationResult(
                "OnCall:ServiceBus:Namespace must be a host name such as my-namespace.servicebus.windows.net.",
                [nameof(Namespace)]);
        }

        // Data annotations do not look inside a nested object.
        var retry = new List<ValidationResult>();
        Validator.TryValidateObject(Retry, new ValidationContext(Retry), retry, validateAllProperties: true);
        foreach (var result in retry)
        {
            yield return result;
        }

        // A send still under way when the handoff notice's claim lapses lets another instance claim it and post the chat channels again.
        var claimLease = HandoffNotice.ClaimLease.ToTimeSpan();
        if (retry.Count == 0 && Retry.WorstCase >= claimLease)
        {
            yield return new ValidationResult(
                $"OnCall:ServiceBus:Retry allows a send to take {Retry.WorstCase.TotalSeconds:0} s ((MaxRetries + 1) × "
                + $"TryTimeout + MaxRetries × MaxDelay); keep it under {claimLease.TotalSeconds:0} s, the handoff notice's claim.",
                [nameof(Retry)]);
        }
    }

    /// <summary>
    /// What is wrong with <paramref name="connectionString"/> for sending to <paramref name="topic"/>, or null; checked
    /// as the SDK will check it, quoting nothing from it.
    /// </summary>
    private static string? ConnectionStringProblem(string connectionString, string topic)
    {
        ServiceBusConnectionStringProperties properties;
        try
        {
            properties = ServiceBusConnectionStringProperties.Parse(connectionString);
        }
        catch (FormatException)
        {
            return "is not a Service Bus connection string (Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…)";
        }

        if (string.IsNullOrEmpty(properties.FullyQualifiedNamespace))
        {
            return "needs Endpoint=sb://<namespace>.servicebus.windows.net/";
        }

        var hasKey = !string.IsNullOrEmpty(properties.SharedAccessKeyName) && !string.IsNullOrEmpty(properties.SharedAccessKey);
        var hasSignature = !string.IsNullOrEmpty(properties.SharedAccessSignature);
        if (hasSignature && (!string.IsNullOrEmpty(properties.SharedAccessKeyName) || !string.IsNullOrEmpty(properties.SharedAccessKey)))
        {
            return "has both a SharedAccessSignature and a SharedAccessKey; keep one";
        }

        if (!hasKey && !hasSignature)
        {
            return "needs SharedAccessKeyName and SharedAccessKey";
        }

        // The SDK refuses a sender for any entity but the connection string's own.
        return !string.IsNullOrEmpty(properties.EntityPath)
            && !string.Equals(properties.EntityPath, topic, StringComparison.OrdinalIgnoreCase)
            ? "has an EntityPath other than OnCall:ServiceBus:Topic; remove it or make them the same"
            : null;
    }
}
