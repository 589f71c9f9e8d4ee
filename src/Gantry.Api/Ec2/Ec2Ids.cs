using Gantry.Domain.Errors;

namespace Gantry.Api.Ec2;

/// <summary>The id lists of Describe operations (<c>VpcId.N</c>, <c>SubnetId.N</c>, ...).</summary>
internal static class Ec2Ids
{
    /// <summary>
    /// The resources <paramref name="ids"/> names, in stored order (all of them when no id is given); an id that names
    /// nothing is the resource's NotFound, as EC2 answers.
    /// </summary>
    public static IReadOnlyList<T> Select<T>(IReadOnlyList<T> all, Func<T, string> idOf, IReadOnlyList<string>? ids, Func<string, AwsException> notFound)
    {
        if (ids is null || ids.Count == 0)
        {
            return all;
        }
        var known = all.Select(idOf).ToHashSet(StringComparer.Ordinal);
        if (ids.FirstOrDefault(id => !known.Contains(id)) is { } missing)
        {
            throw notFound(missing);
        }
        return [.. all.Where(r => ids.Contains(idOf(r), StringComparer.Ordinal))];
    }
}
