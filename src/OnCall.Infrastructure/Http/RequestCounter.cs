using OnCall.Core.Diagnostics;

namespace OnCall.Infrastructure.Http;

/// <summary>
/// Counts every request to one external service by result (each try, retries included), inside the resilience
/// pipeline: <c>google</c> into <c>oncall.google.requests</c>, <c>statuspage</c> and <c>github</c> into
/// <c>oncall.integration.requests</c>.
/// </summary>
public sealed class RequestCounter(OnCallMetrics metrics, string service) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            Count(OnCallMetrics.ResultOf((int)response.StatusCode));
            return response;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            Count("failed");
            throw;
        }
    }

    private void Count(string result)
    {
        if (service == "google")
        {
            metrics.GoogleRequest(result);
        }
        else
        {
            metrics.IntegrationRequest(service, result);
        }
    }
}
