using System.Collections.Concurrent;
using System.Threading.Channels;
using Gantry.Agent.Protocol;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// What a node registered as: a container instance of a cluster, or a node of a Fargate pool (<see cref="Cluster"/> is
/// then the pool's internal name).
/// </summary>
public sealed record Membership(string Cluster, string InstanceId, string Arn);

/// <summary>One connected agent: its node, its container instance and pool node, and the queue of messages to send it.</summary>
public sealed class AgentSession(string nodeId, IReadOnlyList<Membership> memberships, DateTimeOffset connectedAt) : IDisposable
{
    private readonly CancellationTokenSource _revoked = new();

    public string NodeId { get; } = nodeId;

    /// <summary>The container instance (first, when the node joined a cluster) and the pool node it registered as.</summary>
    public IReadOnlyList<Membership> Memberships { get; } = memberships;

    /// <summary>Every ARN this agent answers for: tasks placed on any of them are its own.</summary>
    public IReadOnlyList<string> Arns { get; } = [.. memberships.Select(m => m.Arn)];

    /// <summary>The ARN the agent is told it registered as.</summary>
    public string PrimaryArn => Arns[0];
    public Channel<ControlMessage> Outbox { get; } = Channel.CreateUnbounded<ControlMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _runSent = new(StringComparer.Ordinal), _stopSent = new(StringComparer.Ordinal);
    public DateTimeOffset LastHeartbeat { get; set; } = connectedAt;

    /// <summary>Reports that could not be stored (their task kept conflicting), the latest per task: applied again with each heartbeat.</summary>
    internal ConcurrentDictionary<string, TaskState> Unapplied { get; } = new(StringComparer.Ordinal);
    public bool MarkedDisconnected { get; set; }

    /// <summary>Cancelled when the node is revoked: its stream ends at once.</summary>
    public CancellationToken Revoked => _revoked.Token;

    /// <summary>
    /// Whether to send a message: RunTask and StopTask go at most once per task and session, so the direct dispatch
    /// and every replica's change-feed follower (<see cref="AgentTaskFeed"/>) may all ask for the same one.
    /// </summary>
    internal bool FirstTime(ControlMessage message) => message.BodyCase switch
    {
        ControlMessage.BodyOneofCase.RunTask => _runSent.TryAdd(message.RunTask.TaskArn, 0),
        ControlMessage.BodyOneofCase.StopTask => _stopSent.TryAdd(message.StopTask.TaskArn, 0),
        _ => true,
    };

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

/// <summary>The agents connected to this control plane right now, by container instance and pool node ARN.</summary>
public sealed class AgentSessions
{
    private readonly ConcurrentDictionary<string, AgentSession> _sessions = new(StringComparer.Ordinal);

    public IReadOnlyCollection<AgentSession> All => [.. _sessions.Values.Distinct()];

    /// <summary>Adds a session; an older session of the same instance (a reconnect) is closed.</summary>
    public void Open(AgentSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        foreach (var arn in session.Arns)
        {
            _sessions.AddOrUpdate(arn, session, (_, old) =>
            {
                old.Outbox.Writer.TryComplete();
                return session;
            });
        }
    }

    public void Close(AgentSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.Outbox.Writer.TryComplete();
        foreach (var arn in session.Arns)
        {
            _sessions.TryRemove(new KeyValuePair<string, AgentSession>(arn, session));
        }
        session.Dispose();
    }

    /// <summary>Ends the streams of a revoked node.</summary>
    public void Revoke(string nodeId)
    {
        foreach (var session in All.Where(s => s.NodeId == nodeId))
        {
            session.Revoke();
        }
    }

    /// <summary>Whether the agent of an instance or pool node is connected to this replica.</summary>
    public bool IsConnected(string containerInstanceArn) => _sessions.ContainsKey(containerInstanceArn);

    /// <summary>Whether another session than <paramref name="session"/> holds the ARN (the agent connected again).</summary>
    public bool HasOther(string containerInstanceArn, AgentSession session) =>
        _sessions.TryGetValue(containerInstanceArn, out var current) && current != session;

    /// <summary>Queues a message for an instance's agent; false when it is not connected here, or when this session was
    /// already sent the same RunTask or StopTask.</summary>
    public bool Send(string containerInstanceArn, ControlMessage message) =>
        _sessions.TryGetValue(containerInstanceArn, out var session) && session.FirstTime(message) && session.Outbox.Writer.TryWrite(message);
}
