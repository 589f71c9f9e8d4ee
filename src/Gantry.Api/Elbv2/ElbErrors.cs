using Gantry.Domain.Errors;

namespace Gantry.Api.Elbv2;

/// <summary>
/// The ELBv2 errors load balancers, listeners, rules and tags raise, by model shape name (the awsQuery codec turns
/// <c>LoadBalancerNotFoundException</c> into code <c>LoadBalancerNotFound</c>), with the messages ELB writes.
/// </summary>
public static class ElbErrors
{
    public static AwsException Validation(string message) => new("ValidationError", message);

    /// <summary>A constraint of the model broken, in the wording of ELB's request validation.</summary>
    public static AwsException Constraint(string value, string field, string constraint) =>
        Validation($"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}");

    public static AwsException Missing(string field) =>
        Validation($"1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null");

    public static AwsException LoadBalancersNotFound() => new("LoadBalancerNotFoundException", "One or more load balancers not found");

    public static AwsException LoadBalancerNotFound(string arn) => new("LoadBalancerNotFoundException", $"Load balancer '{arn}' not found");

    public static AwsException DuplicateLoadBalancerName(string name) =>
        new("DuplicateLoadBalancerNameException", $"A load balancer with the same name '{name}' exists, but with different settings");

    public static AwsException ListenersNotFound() => new("ListenerNotFoundException", "One or more listeners not found");

    public static AwsException ListenerNotFound(string arn) => new("ListenerNotFoundException", $"Listener '{arn}' not found");

    public static AwsException DuplicateListener(string balancerArn) =>
        new("DuplicateListenerException", $"A listener already exists on this port for this load balancer '{balancerArn}'");

    public static AwsException RulesNotFound() => new("RuleNotFoundException", "One or more rules not found");

    public static AwsException RuleNotFound(string arn) => new("RuleNotFoundException", $"Rule '{arn}' not found");

    public static AwsException PriorityInUse(int priority) => new("PriorityInUseException", $"Priority '{priority}' is currently in use");

    public static AwsException TargetGroupNotFound(string arn) => new("TargetGroupNotFoundException", $"Target group '{arn}' not found");

    public static AwsException TargetGroupsNotFound() => new("TargetGroupNotFoundException", "One or more target groups not found");

    public static AwsException TargetGroupAssociationLimit(string arn) => new("TargetGroupAssociationLimitException",
        $"The following target groups cannot be associated with more than one load balancer: {arn}");

    public static AwsException IncompatibleProtocols(string message) => new("IncompatibleProtocolsException", message);

    public static AwsException CertificateNotFound(string arn) => new("CertificateNotFoundException", $"Certificate '{arn}' not found");

    public static AwsException SslPolicyNotFound(string name) => new("SSLPolicyNotFoundException", $"SSL policy '{name}' not found");

    public static AwsException OperationNotPermitted(string message) => new("OperationNotPermittedException", message);

    public static AwsException InvalidAction(string message) => new("InvalidLoadBalancerActionException", message);

    public static AwsException InvalidConfiguration(string message) => new("InvalidConfigurationRequestException", message);

    public static AwsException DuplicateTagKeys(string key) => new("DuplicateTagKeysException", $"Tag key '{key}' was specified more than once");

    public static AwsException TooManyTags(string arn) => new("TooManyTagsException", $"Resource '{arn}' cannot have more than 50 tags");

    public static AwsException TooManyLoadBalancers() => new("TooManyLoadBalancersException", "You have reached the maximum number of load balancers");

    /// <summary>Gantry's own limit: every address of the server's load balancer address pool is taken.</summary>
    public static AwsException AddressPoolExhausted(string pool) => new("TooManyLoadBalancersException",
        $"The load balancer address pool {pool} is exhausted: every address is used by a load balancer. Delete one, or start the server with a larger --lb-addresses.");

    public static AwsException TooManyListeners() => new("TooManyListenersException", "You have reached the maximum number of listeners for this load balancer");

    public static AwsException TooManyRules() => new("TooManyRulesException", "You have reached the maximum number of rules for this load balancer");
}
