namespace Gantry.Agent.Logs;

/// <summary>The awslogs <c>mode</c> option: what happens to a container whose output cannot be shipped fast enough.</summary>
public enum AwslogsMode
{
    /// <summary>The container's writes wait for the log driver.</summary>
    Blocking,

    /// <summary>Output is buffered up to <c>max-buffer-size</c>; beyond that it is dropped. ECS's default since June 2025.</summary>
    NonBlocking,
}
