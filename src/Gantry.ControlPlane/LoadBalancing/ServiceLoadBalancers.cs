using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;

namespace Gantry.ControlPlane.LoadBalancing;

/// <summary>
/// The <c>loadBalancers</c> of CreateService/UpdateService, checked as ECS checks them: at most 5, each a target group
/// (Classic Load Balancers are refused) that exists and is forwarded to by a load balancer, of the target type the task
/// definition's network mode needs (<c>awsvpc</c>: <c>ip</c>; <c>bridge</c>/<c>host</c>: <c>instance</c>), naming a
/// container of the task definition and one of its mapped container ports.
/// </summary>
public sealed class ServiceLoadBalancers(TargetRegistry targets, TargetGroupUsage usage)
{
    public const int MaxLoadBalancers = 5;

    /// <summary>Checks <paramref name="loadBalancers"/> against <paramref name="definition"/>; throws InvalidParameterException.</summary>
    public async Task CheckAsync(IReadOnlyList<LoadBalancer> loadBalancers, TaskDefinition definition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(loadBalancers);
        ArgumentNullException.ThrowIfNull(definition);
        if (loadBalancers.Count == 0)
        {
            return;
        }
        if (loadBalancers.Count > MaxLoadBalancers)
        {
            throw EcsErrors.InvalidParameter($"loadBalancers can have at most {MaxLoadBalancers} items.");
        }
        var forwarded = await usage.ReadAsync(ct).ConfigureAwait(false);
        var networkMode = definition.NetworkMode ?? NetworkModeValues.bridge;
        var seen = new HashSet<(string, string, int)>();
        for (var i = 0; i < loadBalancers.Count; i++)
        {
            var balancer = loadBalancers[i];
            if (balancer.LoadBalancerName is not null)
            {
                throw EcsErrors.UnsupportedParameter($"loadBalancers[{i}].loadBalancerName (Classic Load Balancer; use targetGroupArn)");
            }
            if (string.IsNullOrEmpty(balancer.TargetGroupArn))
            {
                throw EcsErrors.InvalidParameter("Target group ARN must be specified for a load balancer of a service.");
            }
            var arn = balancer.TargetGroupArn;
            var group = await targets.FindAsync(arn, ct).ConfigureAwait(false)
                ?? throw EcsErrors.InvalidParameter($"Unable to validate the specified targetGroupArn {arn}: the target group does not exist.");
            if (!forwarded.ContainsKey(arn))
            {
                throw EcsErrors.InvalidParameter($"The target group with targetGroupArn {arn} does not have an associated load balancer.");
            }
            var targetType = group.Value.TargetGroup.TargetType ?? "instance";
            var wanted = networkMode == NetworkModeValues.awsvpc ? "ip" : "instance";
            if (targetType != wanted)
            {
                throw EcsErrors.InvalidParameter(
                    $"The provided target group {arn} has target type {targetType}, which is incompatible with the {networkMode} network mode specified in the task definition.");
            }
            var container = (definition.ContainerDefinitions ?? []).FirstOrDefault(c => c.Name == balancer.ContainerName)
                ?? throw EcsErrors.InvalidParameter($"The container {balancer.ContainerName} does not exist in the task definition.");
            if (balancer.ContainerPort is not { } port || !(container.PortMappings ?? []).Any(p => p.ContainerPort == port))
            {
                throw EcsErrors.InvalidParameter($"The container {balancer.ContainerName} did not have a container port {balancer.ContainerPort} defined.");
            }
            if (!seen.Add((arn, container.Name!, port)))
            {
                throw EcsErrors.InvalidParameter($"The load balancer configuration for target group {arn}, container {container.Name} and port {port} is given twice.");
            }
        }
    }

    /// <summary>Whether two <c>loadBalancers</c> lists name the same registrations (order aside).</summary>
    public static bool SameAs(IReadOnlyList<LoadBalancer>? a, IReadOnlyList<LoadBalancer>? b) =>
        (a ?? []).Select(Key).Order(StringComparer.Ordinal).SequenceEqual((b ?? []).Select(Key).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static string Key(LoadBalancer balancer) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{balancer.TargetGroupArn}|{balancer.ContainerName}|{balancer.ContainerPort}");
}
