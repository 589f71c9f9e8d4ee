using Gantry.Domain.Errors;

namespace Gantry.ControlPlane.Networks;

/// <summary>EC2's error codes and wording for networks, in one place (the ec2 codec sends the code as it is).</summary>
public static class NetworkErrors
{
    public static AwsException VpcNotFound(string id) => new("InvalidVpcID.NotFound", $"The vpc ID '{id}' does not exist");

    public static AwsException SubnetNotFound(string id) => new("InvalidSubnetID.NotFound", $"The subnet ID '{id}' does not exist");

    public static AwsException GroupNotFound(string id) => new("InvalidGroup.NotFound", $"The security group '{id}' does not exist");

    public static AwsException GroupNameNotFound(string name, string vpcId) =>
        new("InvalidGroup.NotFound", $"The security group '{name}' does not exist in default VPC '{vpcId}'");

    public static AwsException InterfaceNotFound(string id) =>
        new("InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{id}' does not exist");

    public static AwsException GroupDuplicate(string name, string vpcId) =>
        new("InvalidGroup.Duplicate", $"The security group '{name}' already exists for VPC '{vpcId}'");

    public static AwsException Missing(string parameter) => new("MissingParameter", $"The request must contain the parameter {parameter}");

    public static AwsException Invalid(string message) => new("InvalidParameterValue", message);

    public static AwsException InvalidValue(string? value, string parameter, string why) =>
        new("InvalidParameterValue", $"Value ({value}) for parameter {parameter} is invalid. {why}");

    /// <summary>
    /// What EC2 has and Gantry does not do, refused naming the request member (EC2's InvalidParameter: "not valid, is unsupported,
    /// or cannot be used"), never silently ignored.
    /// </summary>
    public static AwsException NotSupported(string parameter, string why) => new("InvalidParameter", $"{parameter} is not supported by Gantry: {why}");

    public static AwsException Combination(string message) => new("InvalidParameterCombination", message);

    public static AwsException InvalidId(string id) => new("InvalidID", $"The ID '{id}' is not valid");

    public static AwsException DependencyViolation(string message) => new("DependencyViolation", message);

    public static AwsException NotPermitted(string message) => new("OperationNotPermitted", message);

    /// <summary>A held write kept conflicting with other writers (<see cref="NetworkChanges"/> retries a few times first).</summary>
    public static AwsException Busy() => new("IncorrectState", "The network resources are being changed by another request; try again.");
}
