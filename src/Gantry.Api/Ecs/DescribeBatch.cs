using Gantry.Domain.Ecs;

namespace Gantry.Api.Ecs;

/// <summary>
/// The ECS Describe* pattern: each reference (a name, id or ARN) is either found or reported as a MISSING failure
/// carrying its ARN (the reference itself when it is one).
/// </summary>
internal static class DescribeBatch
{
    public static async Task<(List<T> Found, List<Failure> Failures)> RunAsync<T>(IEnumerable<string> references,
        Func<string, CancellationToken, Task<T?>> find, Func<string, string> arnOf, CancellationToken ct)
        where T : class
    {
        var found = new List<T>();
        var failures = new List<Failure>();
        foreach (var reference in references)
        {
            if (await find(reference, ct).ConfigureAwait(false) is { } item)
            {
                found.Add(item);
            }
            else
            {
                failures.Add(new Failure { Arn = reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : arnOf(reference), Reason = "MISSING" });
            }
        }
        return (found, failures);
    }
}
