namespace OnCall.Core.Swaps;

/// <summary>How swaps are made; bound from <c>OnCall:Swaps</c> by the host.</summary>
/// <param name="RequireApproval">The supervisor approves a taken request before the override is made.</param>
public sealed record SwapSettings(bool RequireApproval);
