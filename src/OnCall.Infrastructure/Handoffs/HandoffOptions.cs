using System.ComponentModel.DataAnnotations;

namespace OnCall.Infrastructure.Handoffs;

/// <summary>Bound from <c>OnCall:Handoffs</c>.</summary>
public sealed class HandoffOptions : IValidatableObject
{
    public const string Section = "OnCall:Handoffs";
    public const int MinLinkKeyLength = 32;

    /// <summary>
    /// Secret that signs acknowledge links (HMAC-SHA256); without it no links are made. Links start at
    /// <c>OnCall:PublicBaseUrl</c>.
    /// </summary>
    public string? LinkKey { get; set; }

    /// <summary>How long before a boundary the incoming engineer is reminded.</summary>
    public TimeSpan ReminderLead { get; set; } = TimeSpan.FromHours(12);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(LinkKey) && LinkKey.Length < MinLinkKeyLength)
        {
            yield return new ValidationResult(
                $"OnCall:Handoffs:LinkKey must be at least {MinLinkKeyLength} characters.",
                [nameof(LinkKey)]);
        }

        // Handoffs are planned a day ahead, so a longer lead would find nothing to remind of.
        if (ReminderLead <= TimeSpan.Zero || ReminderLead > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult(
                "OnCall:Handoffs:ReminderLead must be between 00:00:01 and 1.00:00:00.",
                [nameof(ReminderLead)]);
        }
    }
}
