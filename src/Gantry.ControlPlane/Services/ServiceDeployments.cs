using System.Security.Cryptography;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Fargate;
using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.Services;

/// <summary>Deployments as CreateService, UpdateService and the controller's rollback start them.</summary>
public static class ServiceDeployments
{
    /// <summary>A new PRIMARY deployment (id <c>ecs-svc/</c> and 19 digits, as ECS writes them).</summary>
    public static Deployment NewDeployment(string taskDefinition, int desired, DateTimeOffset now, NetworkConfiguration? network, LaunchCapacity capacity) => new()
    {
        Id = $"ecs-svc/{RandomNumberGenerator.GetInt32(1, 10):D1}{RandomNumberGenerator.GetInt32(0, 1_000_000_000):D9}{RandomNumberGenerator.GetInt32(0, 1_000_000_000):D9}",
        Status = "PRIMARY",
        TaskDefinition = taskDefinition,
        DesiredCount = desired,
        PendingCount = 0,
        RunningCount = 0,
        FailedTasks = 0,
        CreatedAt = now,
        UpdatedAt = now,
        LaunchType = capacity.LaunchType,
        CapacityProviderStrategy = capacity.UsesStrategy ? capacity.Strategy : null,
        PlatformVersion = capacity.IsFargate ? FargatePool.PlatformVersion : null,
        PlatformFamily = capacity.IsFargate ? "Linux" : null,
        NetworkConfiguration = network,
        RolloutState = "IN_PROGRESS",
        RolloutStateReason = "ECS deployment in progress.",
    };
}
