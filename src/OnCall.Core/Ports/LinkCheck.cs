namespace OnCall.Core.Ports;

/// <summary>What checking a signed link (acknowledge a handoff, offer, take, review or withdraw a swap) found.</summary>
public enum LinkCheck
{
    Valid,

    /// <summary>No link key is set: signed links are switched off.</summary>
    NotConfigured,

    /// <summary>Changed, or made for something else.</summary>
    Invalid,
    Expired,
}
