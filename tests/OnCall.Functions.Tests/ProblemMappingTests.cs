using OnCall.Core.Errors;
using OnCall.Functions.Http;

namespace OnCall.Functions.Tests;

public sealed class ProblemMappingTests
{
    [Fact]
    public void ToProblem_RotationTooLarge_Returns413NamingWhatIsTooLarge()
    {
        var problem = ProblemMiddleware.ToProblem(new TooLargeException("Rotation", "history", "the rotation changed too often within the last 16 days to store."));

        Assert.Equal((413, "history"), (problem.Status, problem.Extensions["field"]));
    }

    [Fact]
    public void ToProblem_ConcurrentChange_Returns409ConcurrentChangeSayingRetry()
    {
        var problem = ProblemMiddleware.ToProblem(new ConcurrencyException("Rotation", "platform"));

        Assert.Equal((409, "Concurrent change", true), (problem.Status, problem.Title, problem.Detail!.EndsWith("retry.", StringComparison.Ordinal)));
    }

    [Fact]
    public void ToProblem_SeveralInvalidFields_ListsEveryOneInErrors()
    {
        var errors = new ValidationErrors();
        errors.Add("name", "is required.");
        errors.Add("layers[0].anchor", "must be between the years 1970 and 2200.");

        var problem = ProblemMiddleware.ToProblem(Assert.Throws<ValidationFailedException>(errors.ThrowIfAny));

        Assert.Equal(
            (400, "name", 2),
            (problem.Status, problem.Extensions["field"], ((IReadOnlyDictionary<string, IReadOnlyList<string>>)problem.Extensions["errors"]!).Count));
    }
}
