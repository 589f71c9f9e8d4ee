using System.Collections.Concurrent;
using Gantry.Agent.Protocol;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Logs.Shipping;

/// <summary>
/// The node's awslogs shippers, one per container, independent of task lifecycles: a task may reach STOPPED while
/// its containers' last lines are still being shipped. Shipping records survive agent restarts, so shippers resume.
/// </summary>
public sealed partial class LogShippers(string stateDirectory, ILogDestination destination, Func<string, bool> exited, TimeProvider time, ILogger logger)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Resumes the shippers a previous agent process left.</summary>
    public void ResumeAll()
    {
        foreach (var record in ShippingRecord.LoadAll(stateDirectory))
        {
            Start(record);
        }
    }

    /// <summary>
    /// Before a container starts: records its shipping and opens its stream (creating the group with awslogs-create-group).
    /// Throws <see cref="LogGroupMissingException"/> when the group does not exist.
    /// </summary>
    public async Task OpenAsync(ShippingRecord record, bool createGroup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        await destination.OpenAsync(record.StreamRef(createGroup), ct).ConfigureAwait(false);
        await record.SaveAsync(stateDirectory, ct).ConfigureAwait(false);
    }

    /// <summary>Starts shipping a container's output (idempotent).</summary>
    public void Start(ShippingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        // Registered before it runs, so a shipper that ends at once still removes its own entry.
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var shipping = ShipAsync(record, registered.Task);
        if (_running.TryAdd(record.RuntimeId, shipping))
        {
            registered.SetResult();
        }
        else
        {
            registered.SetCanceled();
        }
    }

    private async Task ShipAsync(ShippingRecord record, Task registered)
    {
        try
        {
            await registered.ConfigureAwait(false);
        }
        catch (TaskCanceledException)
        {
            return; // already shipping
        }
        try
        {
            await new ContainerLogShipper(record, destination, () => exited(record.RuntimeId), time, logger).RunAsync(_stop.Token).ConfigureAwait(false);
            record.Delete(stateDirectory);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The agent stops: the record stays and the next agent resumes.
        }
        catch (Exception e)
        {
            LogFailed(logger, e, record.RuntimeId);
        }
        finally
        {
            _running.TryRemove(record.RuntimeId, out _);
        }
    }

    /// <summary>Containers whose output is still to be shipped (running shippers and persisted records).</summary>
    public IReadOnlySet<string> Pending =>
        _running.Keys.Concat(ShippingRecord.LoadAll(stateDirectory).Select(r => r.RuntimeId)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Waits until a container's shipping is done (all stored, or given up).</summary>
    public Task WhenShippedAsync(string runtimeId) => _running.TryGetValue(runtimeId, out var task) ? task : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Logs of {Id}: shipper failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string id);
}
