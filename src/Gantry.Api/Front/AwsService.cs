using Gantry.Domain.Wire;

namespace Gantry.Api.Front;

/// <summary>
/// One AWS service as its Smithy model declares it. <paramref name="Name"/> is the JSON target prefix
/// (<c>AmazonEC2ContainerServiceV20141113</c>) or, for awsQuery, the service shape's name; requests must be
/// signed for <paramref name="SigningName"/> (<c>aws.auth#sigv4</c> <c>name</c>), which also routes awsQuery requests.
/// </summary>
/// <param name="Version">The model's service version: awsQuery requests carry it as <c>Version=</c>.</param>
/// <param name="XmlNamespace">The model's <c>smithy.api#xmlNamespace</c> uri: awsQuery answers are in it.</param>
/// <param name="QueryErrors">
/// awsQuery: the model's error shapes by name (what handlers throw as <see cref="Domain.Errors.AwsException.Type"/>)
/// with the code and status they go out as; an error not listed goes out as thrown.
/// </param>
public sealed record AwsService(string Name, string SigningName, AwsProtocol Protocol, string? Version = null, string? XmlNamespace = null,
    IReadOnlyDictionary<string, AwsQueryError>? QueryErrors = null)
{
    /// <summary>An AWS JSON 1.1 service: operations are <c>prefix.Name</c> in <c>X-Amz-Target</c>.</summary>
    public static AwsService Json(string targetPrefix, string signingName) => new(targetPrefix, signingName, AwsProtocol.AwsJson11);

    /// <summary>An awsQuery service: operations are <c>Action=Name&amp;Version=version</c>, answers are XML in <paramref name="xmlNamespace"/>.</summary>
    public static AwsService Query(string name, string signingName, string version, string xmlNamespace,
        IReadOnlyDictionary<string, AwsQueryError>? errors = null) =>
        new(name, signingName, AwsProtocol.AwsQuery, version, xmlNamespace, errors);

    /// <summary>A service of EC2's query protocol: routed like awsQuery by its signing name, answering EC2's XML.</summary>
    public static AwsService Ec2(string name, string signingName, string version, string xmlNamespace) =>
        new(name, signingName, AwsProtocol.Ec2, version, xmlNamespace);

    /// <summary>Whether requests come form-encoded (<c>Action=...&amp;Version=...</c>) and are routed by the SigV4 scope's service.</summary>
    public bool IsForm => Protocol is AwsProtocol.AwsQuery or AwsProtocol.Ec2;
}
