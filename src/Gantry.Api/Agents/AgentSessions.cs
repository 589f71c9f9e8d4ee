using System.Collections.Concurrent;
using System.Threading.Channels;
using Gantry.Agent.Protocol;

namespace Gantry.Api.Agents;

/// <summary>One connected agent: its container instance and the queue of messages to send it.</summary>
public sealed class AgentSession(string cluster, string instanceId, string containerInstanceArn, DateTimeOffset connectedAt)
{
    public string Cluster { get; } = cluster;
    public string InstanceId { get; } = instanceId;
    public string ContainerInstanceArn { get; } = containerInstanceArn;
    public Channel<ControlMessage> Outbox { get; } = Channel.CreateUnbounded<ControlMessage>(new UnboundedChannelOptions { SingleReader = true });
    public DateTimeOffset LastHeartbeat { get; set; } = connectedAt;
    public bool MarkedDisconnected { get; set; }
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
    }

    /// <summary>Queues a message for an instance's agent; false when it is not connected.</summary>
    public bool Send(string containerInstanceArn, ControlMessage message) =>
        _sessions.TryGetValue(containerInstanceArn, out var session) && session.Outbox.Writer.TryWrite(message);
}
