using Gantry.Agent.Runtime.Conmon;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Agent.Tests.Runtime.Conmon;

/// <summary>Container logs stay on the node for a while after their task, then go (unless still needed).</summary>
public sealed class ContainerLogCleanupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gantry-logs-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Log(string id, TimeSpan age)
    {
        var path = Path.Combine(_root, "logs", id + ".log");
        File.WriteAllText(path, "2026-11-26T08:00:00.000000000+00:00 stdout F hi\n");
        File.SetLastWriteTimeUtc(path, (_time.GetUtcNow() - age).UtcDateTime);
        return path;
    }

    [Fact]
    public void Logs_older_than_the_retention_go_unless_their_container_is_kept()
    {
        var runtime = new ContainerRuntime(_root, _time, NullLogger<ContainerRuntime>.Instance);
        var old = Log("old-app", TimeSpan.FromHours(4));
        var kept = Log("kept-app", TimeSpan.FromHours(4));
        var recent = Log("recent-app", TimeSpan.FromHours(1));

        var removed = runtime.RemoveOldLogs(new HashSet<string> { "kept-app" }, TimeSpan.FromHours(3));

        Assert.Equal(1, removed);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(kept));
        Assert.True(File.Exists(recent));
    }
}
