namespace OnCall.TestSupport;

/// <summary>Put storage tests in this collection: they share one Azurite.</summary>
public static class StorageTests
{
    public const string Collection = "Azurite";
}
