namespace OnCall.Infrastructure.Swaps;

/// <summary>Bound from <c>OnCall:Swaps</c>.</summary>
public sealed class SwapOptions
{
    public const string Section = "OnCall:Swaps";

    /// <summary>
    /// The rotation's supervisor approves (or declines) a taken request, through a signed link, before the override is
    /// made.
    /// </summary>
    public bool RequireApproval { get; set; }
}
