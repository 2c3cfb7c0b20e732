namespace OnCall.Core.Errors;

/// <summary>
/// Collects every invalid field of one request, so a client learns all of them at once rather than one per
/// round trip. Fields keep the order they were found in.
/// </summary>
public sealed class ValidationErrors
{
    private readonly List<KeyValuePair<string, List<string>>> _errors = [];

    // Field → its messages, so adding stays cheap when a hostile body has thousands of bad members.
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (_byField.TryGetValue(field, out var messages))
        {
            messages.Add(message);
        }
        else
        {
            messages = [message];
            _byField.Add(field, messages);
            _errors.Add(new(field, messages));
        }
    }

    /// <summary>
    /// Whether <paramref name="field"/> or anything under it (<c>layers[0]</c> → <c>layers[0].name</c>) already
    /// failed.
    /// </summary>
    public bool Has(string field) =>
        _errors.Exists(e => e.Key == field
            || e.Key.StartsWith(field + ".", StringComparison.Ordinal)
            || e.Key.StartsWith(field + "[", StringComparison.Ordinal));

    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw new ValidationFailedException(_errors.ToDictionary(
                e => e.Key,
                e => (IReadOnlyList<string>)e.Value,
                StringComparer.Ordinal));
        }
    }
}
