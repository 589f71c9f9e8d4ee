using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.Tests.Supervision;
using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Json;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.ControlPlane.Tests.LoadBalancing;

public sealed class DrainedTargetSweeperTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-drain-").FullName;
    private readonly FakeTimeProvider _time = new(T0);
    private readonly ElbArns _arns = new(AwsAccount.Default);
    private readonly CapturingLogger<DrainedTargetSweeper> _log = new();
    private SqliteStateStore _store = null!;
    private Documents _documents = null!;
    private TargetRegistry _registry = null!;
    private DrainedTargetSweeper _sweeper = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        _documents = new Documents(_store, AwsJson.Options);
        _registry = new TargetRegistry(_documents, _arns, _time);
        _sweeper = new DrainedTargetSweeper(_documents, _time, _log);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_deregistered_target_stays_draining_for_the_groups_delay_then_leaves_with_its_health_record()
    {
        var arn = await CreateGroupAsync("web", delaySeconds: 30);
        await _registry.RegisterAsync(arn, [new TargetRef("10.0.0.5", null), new TargetRef("10.0.0.6", null)], CancellationToken.None);
        await WriteHealthAsync("web", arn, "10.0.0.5");
        await WriteHealthAsync("web", arn, "10.0.0.6");
        await _registry.DeregisterAsync(arn, [new TargetRef("10.0.0.5", null)], CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await _sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(["10.0.0.5", "10.0.0.6"], await TargetsAsync("web"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(["10.0.0.6"], await TargetsAsync("web"));
        Assert.Null(await _store.GetAsync(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey("web", "10.0.0.5", 80), CancellationToken.None));
        Assert.NotNull(await _store.GetAsync(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey("web", "10.0.0.6", 80), CancellationToken.None));
    }

    [Fact]
    public async Task A_target_registered_again_while_draining_is_kept()
    {
        var arn = await CreateGroupAsync("back", delaySeconds: 10);
        await _registry.RegisterAsync(arn, [new TargetRef("10.0.0.5", null)], CancellationToken.None);
        await _registry.DeregisterAsync(arn, [new TargetRef("10.0.0.5", null)], CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        await _registry.RegisterAsync(arn, [new TargetRef("10.0.0.5", null)], CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, await _sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(["10.0.0.5"], await TargetsAsync("back"));
    }

    [Fact]
    public async Task The_loop_removes_a_target_once_the_default_delay_has_passed_and_not_before()
    {
        var arn = await CreateGroupAsync("looped", delaySeconds: null);
        await _registry.RegisterAsync(arn, [new TargetRef("10.0.0.7", 8080)], CancellationToken.None);
        await _registry.DeregisterAsync(arn, [new TargetRef("10.0.0.7", 8080)], CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var loop = _sweeper.RunAsync(DrainedTargetSweeper.DefaultInterval, stop.Token);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_log.Entries.Any(e => e.Message.Contains("10.0.0.7:8080 finished draining", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "within 10 s the loop removes the target once 300 s have passed");
            var draining = (await TargetsAsync("looped")).Count;
            Assert.True(draining == 1 || _time.GetUtcNow() - T0 >= TimeSpan.FromSeconds(300), "not removed before 300 s");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        Assert.Empty(await TargetsAsync("looped"));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private async Task<string> CreateGroupAsync(string name, int? delaySeconds)
    {
        var arn = _arns.TargetGroup(name, ElbArns.NewId());
        var group = new TargetGroup { TargetGroupArn = arn, TargetGroupName = name, Protocol = "HTTP", Port = 80, TargetType = "ip" };
        IReadOnlyList<TargetGroupAttribute> attributes = delaySeconds is { } seconds
            ? [new TargetGroupAttribute { Key = TargetRegistry.DeregistrationDelay, Value = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }]
            : [];
        await _store.CommitAsync([_documents.Put(ElbKinds.TargetGroup, name, new TargetGroupRecord(group, attributes, [], []), null)], CancellationToken.None);
        return arn;
    }

    private async Task WriteHealthAsync(string group, string arn, string id) =>
        await _store.CommitAsync([_documents.Put(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey(group, id, 80),
            new TargetHealthRecord(arn, id, 80, "healthy", null, null, _time.GetUtcNow()), null)], CancellationToken.None);

    private async Task<List<string>> TargetsAsync(string group) =>
        (await _documents.GetAsync<TargetGroupRecord>(ElbKinds.TargetGroup, group, CancellationToken.None))!.Value.Targets.Select(t => t.Id).ToList();
}
