namespace OnCall.FunctionsHostFake;

/// <summary>
/// azure-functions-host src/WebJobs.Script.Grpc/Server/RetryProxyHandler.cs: up to 10 attempts at reaching the worker's
/// HttpUri, 50 ms doubling to at most 250 ms between them, on HttpRequestException only (the worker's Kestrel may not
/// be listening yet).
/// </summary>
internal sealed class RetryProxyHandler(HttpMessageHandler inner, WorkerOutput output) : DelegatingHandler(inner)
{
    private const int MaxRetries = 10;
    private const int InitialDelay = 50;
    private const int MaximumDelay = 250;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        int delay = InitialDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < MaxRetries)
            {
                output.Append("fake-host", $"Failed to proxy request to the worker ({e.Message}). Retrying in {delay}ms. Attempt {attempt} of {MaxRetries}.");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, MaximumDelay);
            }
        }
    }
}
