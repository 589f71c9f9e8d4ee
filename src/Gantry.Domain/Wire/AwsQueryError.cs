namespace Gantry.Domain.Wire;

/// <summary>
/// How an error shape of an awsQuery service reaches the wire: its <c>&lt;Code&gt;</c> and HTTP status (the model's
/// <c>aws.protocols#awsQueryError</c>, else the shape's name with its <c>httpError</c>, 400 or 500).
/// </summary>
public sealed record AwsQueryError(string Code, int Status);
