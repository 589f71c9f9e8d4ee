namespace Gantry.Domain.Arns;

/// <summary>ECR ARNs: <c>arn:&lt;partition&gt;:ecr:&lt;region&gt;:&lt;account&gt;:repository/&lt;name&gt;</c>.</summary>
public sealed class EcrArns(AwsAccount account)
{
    public string RegistryId => account.AccountId;

    public string Repository(string name) => $"arn:{account.Partition}:ecr:{account.Region}:{account.AccountId}:repository/{name}";

    /// <summary>The repository name an ARN names in this account and region, or null.</summary>
    public string? RepositoryName(string arn)
    {
        var prefix = $"arn:{account.Partition}:ecr:{account.Region}:{account.AccountId}:repository/";
        return arn is not null && arn.StartsWith(prefix, StringComparison.Ordinal) && arn.Length > prefix.Length ? arn[prefix.Length..] : null;
    }
}
