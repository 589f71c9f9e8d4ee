namespace Gantry.Api.Front;

/// <summary>The wire protocol of an AWS service: its model's <c>aws.protocols#...</c> trait.</summary>
public enum AwsProtocol
{
    /// <summary><c>POST /</c>, <c>X-Amz-Target: prefix.Operation</c>, JSON body and answers.</summary>
    AwsJson11,

    /// <summary>Form-encoded <c>Action=...&amp;Version=...</c> (POST body or GET query), XML answers.</summary>
    AwsQuery,

    /// <summary>
    /// EC2's own query protocol: form-encoded like awsQuery, but every list is <c>Name.N</c> under the member's request key,
    /// answers are <c>&lt;XResponse&gt;&lt;requestId&gt;</c> with the members by their locationName, errors <c>&lt;Response&gt;&lt;Errors&gt;</c>.
    /// </summary>
    Ec2,
}
