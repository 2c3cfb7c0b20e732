namespace OnCall.FunctionsHostFake;

/// <summary>
/// The fake host could not do what a test asked (the worker did not start, did not answer in time, refused a function, ...).
/// The message ends with everything the worker printed and logged so far, so a failing test shows why.
/// </summary>
public sealed class FakeFunctionsHostException : Exception
{
    public FakeFunctionsHostException()
    {
    }

    public FakeFunctionsHostException(string message)
        : base(message)
    {
    }

    public FakeFunctionsHostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
