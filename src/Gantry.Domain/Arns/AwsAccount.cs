namespace Gantry.Domain.Arns;

/// <summary>Where this Gantry installation says it lives: partition, region and account id used in every ARN.</summary>
public sealed record AwsAccount(string Region, string AccountId, string Partition = "aws")
{
    public static AwsAccount Default { get; } = new("us-east-1", "000000000000");
}
