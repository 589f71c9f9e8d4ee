using System.Collections.Concurrent;
using System.Threading.Channels;
using Gantry.Agent.Protocol;

namespace Gantry.ControlPlane.Agents;

/// <summary>One connected agent: its node, its container instance and the queue of messages to send it.</summary>
public sealed class AgentSession(string nodeId, string cluster, string instanceId, string containerInstanceArn, DateTimeOffset connectedAt) : IDisposable
{
    private readonly CancellationTokenSource _revoked = new();

    public string NodeId { get; } = nodeId;
    public string Cluster { get; } = cluster;
    public string InstanceId { get; } = instanceId;
    public string ContainerInstanceArn { get; } = containerInstanceArn;
    public Channel<ControlMessage> Outbox { get; } = Channel.CreateUnbounded<ControlMessage>(new UnboundedChannelOptions { SingleReader = true });
    public DateTimeOffset LastHeartbeat { get; set; } = connectedAt;
    public bool MarkedDisconnected { get; set; }

    /// <summary>Cancelled when the node is revoked: its stream ends at once.</summary>
    public CancellationToken Revoked => _revoked.Token;

    internal void Revoke()
    {
        Outbox.Writer.TryComplete();
        try
        {
            _revoked.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: nothing left to end.
        }
    }

    public void Dispose() => _revoked.Dispose();
}

/// <summary>The agents connected to this control plane right now, by container instance ARN.</summary>
public sealed class AgentSessions
{
    private readonly ConcurrentDictionary<string, AgentSession> _sessions = new(StringComparer.Ordinal);

    public IReadOnlyCollection<AgentSession> All => [.. _sessions.Values];

    /// <summary>Adds a session; an older session of the same instance (a reconnect) is closed.</summary>
    public void Open(AgentSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _sessions.AddOrUpdate(session.ContainerInstanceArn, session, (_, old) =>
        {
            old.Outbox.Writer.TryComplete();
            return session;
        });
    }

    public void Close(AgentSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.Outbox.Writer.TryComplete();
        _sessions.TryRemove(new KeyValuePair<string, AgentSession>(session.ContainerInstanceArn, session));
        session.Dispose();
    }

    /// <summary>Ends the streams of a revoked node.</summary>
    public void Revoke(string nodeId)
    {
        foreach (var session in _sessions.Values.Where(s => s.NodeId == nodeId))
        {
            session.Revoke();
        }
    }

    /// <summary>Queues a message for an instance's agent; false when it is not connected.</summary>
    public bool Send(string containerInstanceArn, ControlMessage message) =>
        _sessions.TryGetValue(containerInstanceArn, out var session) && session.Outbox.Writer.TryWrite(message);
}
