namespace OnCall.Core.Errors;

/// <summary>
/// Collects every invalid field of one request, so a client learns all of them at once rather than one per
/// round trip. Fields keep the order they were found in.
/// </summary>
public sealed class ValidationErrors
{
    private readonly List<KeyValuePair<string, List<string>>> _errors = [];

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        var index = _errors.FindIndex(e => e.Key == field);
        if (index < 0)
        {
            _errors.Add(new(field, [message]));
        }
        else
        {
            _errors[index].Value.Add(message);
        }
    }

    /// <summary>Whether <paramref name="field"/> or anything under it (<c>layers[0]</c> → <c>layers[0].name</c>) already failed.</summary>
    public bool Has(string field) => _errors.Exists(e => e.Key == field || e.Key.StartsWith(field + ".", StringComparison.Ordinal) || e.Key.StartsWith(field + "[", StringComparison.Ordinal));

    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw new ValidationFailedException(_errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal));
        }
    }
}
