namespace Gantry.Domain.Arns;

/// <summary>Where this Gantry installation says it lives: the region and account id used in every ARN.</summary>
public sealed record AwsAccount(string Region, string AccountId)
{
    public static AwsAccount Default { get; } = new("us-east-1", "000000000000");

    /// <summary>The partition the region belongs to, the second field of every ARN: <c>aws-cn</c> for the China
    /// regions (<c>cn-*</c>), <c>aws-us-gov</c> for GovCloud (<c>us-gov-*</c>), otherwise <c>aws</c>.</summary>
    public string Partition =>
        Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    /// <summary>The account's root principal, <c>arn:&lt;partition&gt;:iam::&lt;account&gt;:root</c>.</summary>
    public string Root => $"arn:{Partition}:iam::{AccountId}:root";
}
