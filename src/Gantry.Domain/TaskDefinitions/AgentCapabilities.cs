namespace Gantry.Domain.TaskDefinitions;

/// <summary>
/// The ECS capability attributes a Gantry agent really has: every agent advertises exactly these at registration,
/// and a task definition's <c>requiresAttributes</c> only ever names capabilities from this list (a feature no agent
/// has is refused at registration instead). The role capabilities ECS derives (<c>ecs.capability.execution-role-awslogs</c>,
/// <c>com.amazonaws.ecs.capability.task-iam-role</c>) are not here: roles are recorded but never block placement.
/// </summary>
public static class AgentCapabilities
{
    public const string TaskEni = "ecs.capability.task-eni";
    public const string ContainerOrdering = "ecs.capability.container-ordering";
    public const string ContainerHealthCheck = "ecs.capability.container-health-check";
    public const string DockerRemoteApi119 = "com.amazonaws.ecs.capability.docker-remote-api.1.19";
    public const string LoggingDriverPrefix = "com.amazonaws.ecs.capability.logging-driver.";

    /// <summary>The one log driver a Gantry agent ships: awslogs, to the control plane's CloudWatch Logs.</summary>
    public const string LoggingDriverAwslogs = LoggingDriverPrefix + "awslogs";

    public static IReadOnlyList<string> All { get; } = [TaskEni, ContainerOrdering, ContainerHealthCheck, DockerRemoteApi119, LoggingDriverAwslogs];
}
