using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.ControlPlane.Tests.Supervision;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;
using Gantry.Domain.Tasks;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using TaskStatus = Gantry.Domain.Tasks.TaskStatus;

namespace Gantry.ControlPlane.Tests.Agents;

/// <summary>A replica follows the store's task changes and tells the agents connected to it, whoever wrote the task:
/// RunTask for a new task, StopTask once it is wanted stopped, each once per agent session.</summary>
public sealed class AgentTaskFeedTests : IAsyncLifetime, IDisposable
{
    private const string Cluster = "feed";
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-feed-").FullName;
    private readonly AgentSessions _sessions = new();
    private readonly FeedPosition _position = new();
    private readonly CancellationTokenSource _stop = new();
    private SqliteStateStore _store = null!;
    private Documents _documents = null!;
    private Task _feed = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        _documents = new Documents(_store, AwsJson.Options);
        var feed = new AgentTaskFeed(_store, AwsJson.Options, new TaskDispatcher(_sessions), _position, TimeProvider.System, NullLogger<AgentTaskFeed>.Instance);
        _feed = feed.RunAsync(_stop.Token);
        await Until.TrueAsync(() => _position.Revision >= 0, "the feed started");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _feed;
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose() => _stop.Dispose();

    [Fact]
    public async Task A_task_written_by_another_replica_reaches_the_agent_connected_here_once_and_its_stop_follows()
    {
        var here = Connect("i-here");
        var elsewhere = InstanceArn("i-elsewhere");

        await FollowedAsync(Task("t1", InstanceArn("i-here"), TaskStatus.Running, TaskStatus.Provisioning));
        await FollowedAsync(Task("t2", elsewhere, TaskStatus.Running, TaskStatus.Provisioning));
        await FollowedAsync(Task("t1", InstanceArn("i-here"), TaskStatus.Running, TaskStatus.Provisioning) with { EverHealthy = true }); // another write, same state
        await FollowedAsync(Task("t1", InstanceArn("i-here"), TaskStatus.Stopped, TaskStatus.Running));

        var messages = Drain(here);
        Assert.Equal([ControlMessage.BodyOneofCase.RunTask, ControlMessage.BodyOneofCase.StopTask], messages.Select(m => m.BodyCase));
        Assert.Equal(TaskArn("t1"), messages[0].RunTask.TaskArn);
        Assert.Equal(TaskArn("t1"), messages[1].StopTask.TaskArn);
    }

    [Fact]
    public async Task A_task_the_agent_already_reported_is_not_sent_again()
    {
        var here = Connect("i-here");

        await FollowedAsync(Task("t3", InstanceArn("i-here"), TaskStatus.Running, TaskStatus.Running));

        Assert.Empty(Drain(here));
    }

    private AgentSession Connect(string instanceId)
    {
        var session = new AgentSession("node-" + instanceId, [new Membership(Cluster, instanceId, InstanceArn(instanceId))], DateTimeOffset.UtcNow);
        _sessions.Open(session);
        return session;
    }

    private static List<ControlMessage> Drain(AgentSession session)
    {
        var messages = new List<ControlMessage>();
        while (session.Outbox.Reader.TryRead(out var message))
        {
            messages.Add(message);
        }
        return messages;
    }

    /// <summary>Writes the task as another replica would and waits until this replica's feed has followed the write.</summary>
    private async Task FollowedAsync(TaskRecord task)
    {
        var revision = await _store.CommitAsync([_documents.Put(Kinds.Task, Kinds.InCluster(Cluster, task.Id), task, null)], CancellationToken.None);
        await Until.TrueAsync(() => _position.Revision >= revision, $"the feed followed revision {revision}");
    }

    private static string InstanceArn(string id) => $"arn:aws:ecs:us-east-1:000000000000:container-instance/{Cluster}/{id}";

    private static string TaskArn(string id) => $"arn:aws:ecs:us-east-1:000000000000:task/{Cluster}/{id}";

    private static TaskRecord Task(string id, string instanceArn, string desired, string last) => new(
        new EcsTask { TaskArn = TaskArn(id), ContainerInstanceArn = instanceArn, DesiredStatus = desired, LastStatus = last, LaunchType = "EC2", Version = 1 },
        Cluster, instanceArn[(instanceArn.LastIndexOf('/') + 1)..], 128, 64, [],
        new TaskDefinition { Family = "web", Revision = 1, ContainerDefinitions = [new ContainerDefinition { Name = "app", Image = "busybox", Memory = 64 }] },
        null, TaskCounter.Pending);
}
