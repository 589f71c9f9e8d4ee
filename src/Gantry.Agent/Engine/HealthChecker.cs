using Gantry.Agent.Runtime;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Engine;

/// <summary>ECS container health statuses.</summary>
public static class HealthStatuses
{
    public const string Healthy = "HEALTHY";
    public const string Unhealthy = "UNHEALTHY";
    public const string Unknown = "UNKNOWN";

    /// <summary>
    /// A task's health from its essential containers that have health checks: UNHEALTHY if any is, HEALTHY when all
    /// are, UNKNOWN otherwise (or when none has a check).
    /// </summary>
    public static string OfTask(TaskDefinition definition, IReadOnlyList<AgentContainer> containers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(containers);
        var checkedEssentials = (definition.ContainerDefinitions ?? []).Where(d => d.Essential != false && d.HealthCheck is not null)
            .Select(d => containers.First(c => c.Name == d.Name).HealthStatus ?? Unknown).ToList();
        if (checkedEssentials.Count == 0)
        {
            return Unknown;
        }
        return checkedEssentials.Contains(Unhealthy) ? Unhealthy : checkedEssentials.All(s => s == Healthy) ? Healthy : Unknown;
    }
}

/// <summary>
/// Runs a container's health check inside its namespaces (<c>runc exec</c>) as Docker does: every <c>interval</c>
/// seconds (default 30), each run bounded by <c>timeout</c> (default 5); <c>retries</c> consecutive failures
/// (default 3) make it UNHEALTHY, one success HEALTHY; failures during <c>startPeriod</c> do not count.
/// </summary>
public sealed class HealthChecker(IContainerRuntime runtime, TimeProvider time)
{
    public async Task RunAsync(string runtimeId, HealthCheck check, Func<string, Task> onChange, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(onChange);
        var command = Command(check.Command ?? []);
        if (command.Count == 0)
        {
            return;
        }
        var interval = TimeSpan.FromSeconds(check.Interval ?? 30);
        var timeout = TimeSpan.FromSeconds(check.Timeout ?? 5);
        var retries = check.Retries ?? 3;
        var graceEnds = time.GetUtcNow() + TimeSpan.FromSeconds(check.StartPeriod ?? 0);
        var status = HealthStatuses.Unknown;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var healthy = await ProbeAsync(runtimeId, command, timeout, ct).ConfigureAwait(false);
            var next = status;
            if (healthy)
            {
                failures = 0;
                next = HealthStatuses.Healthy;
            }
            else if (time.GetUtcNow() >= graceEnds && ++failures >= retries)
            {
                next = HealthStatuses.Unhealthy;
            }
            if (next != status)
            {
                status = next;
                await onChange(status).ConfigureAwait(false);
            }
            await Task.Delay(interval, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>CMD runs its arguments; CMD-SHELL runs its one argument with /bin/sh -c; NONE disables the check.</summary>
    public static IReadOnlyList<string> Command(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Count == 0 ? [] : command[0] switch
        {
            "CMD-SHELL" when command.Count > 1 => ["/bin/sh", "-c", command[1]],
            "CMD" => [.. command.Skip(1)],
            "NONE" => [],
            _ => ["/bin/sh", "-c", string.Join(' ', command)],
        };
    }

    private async Task<bool> ProbeAsync(string runtimeId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            return (await runtime.ExecAsync(runtimeId, command, bounded.Token).ConfigureAwait(false)).Succeeded;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // timed out
        }
    }
}
