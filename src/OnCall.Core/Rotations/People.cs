namespace OnCall.Core.Rotations;

public sealed record Member(string Name, string Email);

/// <summary>Who is called when a handoff is missed. <see cref="Handle"/> is a Slack or Teams handle.</summary>
public sealed record Supervisor(string Name, string Email, string? Handle = null);
