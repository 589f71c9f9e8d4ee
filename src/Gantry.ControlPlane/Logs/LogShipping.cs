using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Nodes;
using Gantry.Domain.Logs;
using Gantry.Logs;
using Grpc.Core;

namespace Gantry.ControlPlane.Logs;

/// <summary>
/// The control plane's end of the agents' awslogs shipping. Every answer carries the stream's highest stored
/// position: events the store already holds are skipped by position, so a batch sent twice (an agent
/// killed between sending and hearing back) is stored once. A node writes only to its own tasks' streams.
/// </summary>
public sealed class LogShipping(ILogStore store, LogStreamAccess access, TimeProvider time)
{
    public async Task<LogStreamPosition> OpenAsync(NodeRecord node, LogStreamRef stream, CancellationToken ct)
    {
        var (group, name) = Validate(stream);
        await access.AuthorizeAsync(node, stream, ct).ConfigureAwait(false);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (stream.CreateGroup)
        {
            await store.CreateGroupAsync(group, now, ct).ConfigureAwait(false);
        }
        var created = await store.CreateStreamAsync(group, name, now, ct).ConfigureAwait(false);
        if (created == StreamOutcome.GroupNotFound)
        {
            throw GroupMissing();
        }
        var position = await store.GetSourceOffsetAsync(group, name, ct).ConfigureAwait(false);
        return new LogStreamPosition { Position = position.SourceOffset };
    }

    public async Task<LogStreamPosition> ShipAsync(NodeRecord node, LogBatch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (group, name) = Validate(batch.Stream);
        await access.AuthorizeAsync(node, batch.Stream, ct).ConfigureAwait(false);
        if (batch.Events.Count > 10_000)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a batch holds at most 10,000 events"));
        }
        var events = new NewLogEvent[batch.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var e = batch.Events[i];
            if (e.Position <= 0 || e.TimestampMs < 0 || (i > 0 && e.TimestampMs < events[i - 1].Timestamp))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "events need positive positions and timestamps of 0 or more, sorted by timestamp"));
            }
            events[i] = new NewLogEvent(e.TimestampMs, e.Message, e.Position);
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = await store.AppendAsync(group, name, events, now, batch.Stream.CreateGroup, ct).ConfigureAwait(false);
        if (result.Outcome == StreamOutcome.StreamNotFound)
        {
            // Someone deleted the stream while the container ran: open it again, as the awslogs driver does.
            await store.CreateStreamAsync(group, name, now, ct).ConfigureAwait(false);
            result = await store.AppendAsync(group, name, events, now, batch.Stream.CreateGroup, ct).ConfigureAwait(false);
        }
        return result.Outcome switch
        {
            StreamOutcome.Done => new LogStreamPosition { Position = result.SourceOffset },
            StreamOutcome.GroupNotFound => throw GroupMissing(),
            _ => throw new RpcException(new Status(StatusCode.Unavailable, $"the log stream could not be written ({result.Outcome}); send again")),
        };
    }

    private static (string Group, string Stream) Validate(LogStreamRef? stream)
    {
        if (stream is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the log stream is required"));
        }
        try
        {
            return (LogNames.GroupName(stream.Group), LogNames.StreamName(stream.Stream));
        }
        catch (Domain.Errors.AwsException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }

    private static RpcException GroupMissing() =>
        new(new Status(StatusCode.NotFound, "ResourceNotFoundException: The specified log group does not exist."));
}
