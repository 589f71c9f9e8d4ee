using Gantry.Agent.Protocol;

namespace Gantry.Agent.Logs.Shipping;

/// <summary>Where shipped log events go (the control plane's log store). Both calls answer the stream's stored source offset.</summary>
public interface ILogDestination
{
    /// <summary>Creates the stream (and with create_group the group); throws <see cref="LogGroupMissingException"/> when the group does not exist.</summary>
    Task<long> OpenAsync(LogStreamRef stream, CancellationToken ct);

    Task<long> ShipAsync(LogBatch batch, CancellationToken ct);
}

/// <summary>The log group named by awslogs-group does not exist and awslogs-create-group is not set.</summary>
public sealed class LogGroupMissingException(string message) : Exception(message);
