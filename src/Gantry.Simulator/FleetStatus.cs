namespace Gantry.Simulator;

/// <summary>The simulated fleet's counters, updated by every node and read by the progress line (thread-safe).</summary>
public sealed class FleetStatus(int nodes)
{
    private int _joined, _connected, _running, _reconnects;
    private long _started, _stopped;

    public int Nodes { get; } = nodes;

    /// <summary>Nodes holding node credentials.</summary>
    public int Joined => Volatile.Read(ref _joined);

    /// <summary>Nodes registered on an open stream right now.</summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <summary>Tasks RUNNING on the fleet right now.</summary>
    public int RunningTasks => Volatile.Read(ref _running);

    /// <summary>Tasks that reached RUNNING since the start.</summary>
    public long TasksStarted => Interlocked.Read(ref _started);

    /// <summary>Tasks that reached STOPPED since the start.</summary>
    public long TasksStopped => Interlocked.Read(ref _stopped);

    /// <summary>Streams that broke and were dialled again.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Why the last stream broke (null when none did).</summary>
    public string? LastError { get; private set; }

    internal void NodeJoined() => Interlocked.Increment(ref _joined);

    internal void StreamOpened() => Interlocked.Increment(ref _connected);

    internal void StreamClosed() => Interlocked.Decrement(ref _connected);

    internal void StreamBroke(string reason)
    {
        Interlocked.Increment(ref _reconnects);
        LastError = reason;
    }

    internal void TaskRunning()
    {
        Interlocked.Increment(ref _running);
        Interlocked.Increment(ref _started);
    }

    internal void TaskStopped(bool wasRunning)
    {
        if (wasRunning)
        {
            Interlocked.Decrement(ref _running);
        }
        Interlocked.Increment(ref _stopped);
    }

    /// <summary>One line for a terminal: "joined 1200/5000  registered 980/5000  running tasks 812 ...".</summary>
    public string Line() =>
        $"joined {Joined}/{Nodes}  registered {Connected}/{Nodes}  running tasks {RunningTasks}  started {TasksStarted}  stopped {TasksStopped}"
        + (Reconnects > 0 ? $"  reconnects {Reconnects} (last: {LastError})" : "");
}
