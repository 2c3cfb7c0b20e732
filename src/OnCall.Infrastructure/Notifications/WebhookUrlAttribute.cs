using System.ComponentModel.DataAnnotations;
using System.Net;

namespace OnCall.Infrastructure.Notifications;

/// <summary>
/// An absolute https URL, or http to a loopback host (local fakes and tests). Empty means "not configured".
/// The error message never repeats the value: webhook URLs are secrets and start-up errors get logged.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WebhookUrlAttribute : ValidationAttribute
{
    public WebhookUrlAttribute()
        : base("{0} must be an absolute https URL (http only for a loopback host).")
    {
    }

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        string s when string.IsNullOrWhiteSpace(s) => true,
        string s => Uri.TryCreate(s, UriKind.Absolute, out var uri) && IsAcceptable(uri),
        Uri uri => IsAcceptable(uri),
        _ => false,
    };

    public static bool IsAcceptable(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri
            && string.IsNullOrEmpty(uri.UserInfo)
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)));
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
}
