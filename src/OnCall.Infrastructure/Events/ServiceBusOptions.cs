using System.ComponentModel.DataAnnotations;

namespace OnCall.Infrastructure.Events;

/// <summary>
/// Where domain events go, bound from <c>OnCall:ServiceBus</c>: a SAS <see cref="ConnectionString"/> (a secret: never
/// logged), or a <see cref="Namespace"/> reached with the app's identity. Off until one of them is set.
/// </summary>
public sealed class ServiceBusOptions : IValidatableObject
{
    public const string Section = "OnCall:ServiceBus";

    /// <summary><c>Endpoint=sb://…/;SharedAccessKeyName=…;SharedAccessKey=…</c>, as the portal shows it.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The fully qualified namespace, <c>my-namespace.servicebus.windows.net</c>, for identity-based sending.</summary>
    public string? Namespace { get; set; }

    /// <summary>The client id of a user-assigned identity; empty for the system-assigned one.</summary>
    public string? ClientId { get; set; }

    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._/-]{0,259}$", ErrorMessage = "OnCall:ServiceBus:Topic must be a topic name (letters, digits, '.', '_', '-', '/').")]
    public string Topic { get; set; } = "oncall-events";

    /// <summary>Where requests go instead of the namespace's own address (tests, proxies); the signature still names the namespace.</summary>
    public Uri? BaseUrl { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(Namespace);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString) && !string.IsNullOrWhiteSpace(Namespace))
        {
            yield return new ValidationResult("Set OnCall:ServiceBus:ConnectionString or OnCall:ServiceBus:Namespace, not both.", [nameof(Namespace)]);
        }

        // The message names what is missing, never the value: a connection string holds the key.
        if (!string.IsNullOrWhiteSpace(ConnectionString) && ServiceBusConnection.TryParse(ConnectionString, out _) is { } problem)
        {
            yield return new ValidationResult($"OnCall:ServiceBus:ConnectionString {problem}.", [nameof(ConnectionString)]);
        }

        if (!string.IsNullOrWhiteSpace(Namespace) && Uri.CheckHostName(ServiceBusConnection.HostOf(Namespace)) != UriHostNameType.Dns)
        {
            yield return new ValidationResult("OnCall:ServiceBus:Namespace must be a host name such as my-namespace.servicebus.windows.net.", [nameof(Namespace)]);
        }

        if (BaseUrl is { IsAbsoluteUri: false } || BaseUrl is { Scheme: not ("http" or "https") })
        {
            yield return new ValidationResult("OnCall:ServiceBus:BaseUrl must be an absolute http(s) URL.", [nameof(BaseUrl)]);
        }
    }
}
