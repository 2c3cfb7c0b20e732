namespace OnCall.Core.Errors;

/// <summary>Base of the typed exceptions the HTTP boundary turns into problem+json.</summary>
public abstract class OnCallException(string message, string? field) : Exception(message)
{
    /// <summary>The request field at fault (JSON path or query parameter), when there is one.</summary>
    public string? Field { get; } = field;
}

/// <summary>The input is well-formed but not acceptable (400); <see cref="Errors"/> names every field at fault.</summary>
public sealed class ValidationFailedException : OnCallException
{
    public ValidationFailedException(string field, string message)
        : this(new Dictionary<string, IReadOnlyList<string>> { [field] = [message] })
    {
    }

    public ValidationFailedException(IReadOnlyDictionary<string, IReadOnlyList<string>> errors)
        : base(errors.First().Value[0], errors.First().Key)
    {
        Errors = errors;
    }

    /// <summary>Field → messages, in the order they were found; the first is also <see cref="OnCallException.Field"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }
}

/// <summary>The addressed resource does not exist (404).</summary>
public sealed class NotFoundException(string resource, string id)
    : OnCallException($"{resource} '{id}' was not found.", null)
{
    public string Resource { get; } = resource;
}

/// <summary>The request conflicts with the current state, e.g. an overlapping override (409).</summary>
public sealed class ConflictException(string field, string message) : OnCallException(message, field);

/// <summary>Someone else changed the record between our read and our write; the caller may retry (409).</summary>
public sealed class ConcurrencyException(string resource, string id)
    : OnCallException($"{resource} '{id}' was changed by another request; retry.", null);

/// <summary>
/// What was asked is valid but too large to store (413); <see cref="Resource"/> is what could not be stored (Rotation,
/// Incident), <see cref="OnCallException.Field"/> names what is too large.
/// </summary>
public sealed class TooLargeException(string resource, string field, string message) : OnCallException(message, field)
{
    public string Resource { get; } = resource;
}
