using Azure;
using OnCall.Functions.Http;
using OnCall.Infrastructure.Storage;

namespace OnCall.Functions.Tests;

public sealed class StorageProblemTests
{
    [Fact]
    public void ToProblem_StorageUnavailable_Returns503()
    {
        var problem = ProblemMiddleware.ToProblem(new StorageUnavailableException());

        Assert.Equal(503, problem.Status);
    }

    [Fact]
    public void ToProblem_SdkRetriesAllUnanswered_Returns503()
    {
        var retries = new AggregateException(new RequestFailedException("Connection refused"), new TaskCanceledException("network timeout"));

        var problem = ProblemMiddleware.ToProblem(retries);

        Assert.Equal(503, problem.Status);
    }

    [Fact]
    public void ToProblem_StorageServerError_Returns503()
    {
        var problem = ProblemMiddleware.ToProblem(new RequestFailedException(503, "Server busy"));

        Assert.Equal(503, problem.Status);
    }

    [Fact]
    public void ToProblem_StorageRefusedRequest_Returns500()
    {
        var problem = ProblemMiddleware.ToProblem(new RequestFailedException(400, "Bad request"));

        Assert.Equal(500, problem.Status);
    }

    [Fact]
    public void IsStorageFault_CallerCancelled_ReturnsFalse()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(StorageUnavailableException.IsStorageFault(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }
}
