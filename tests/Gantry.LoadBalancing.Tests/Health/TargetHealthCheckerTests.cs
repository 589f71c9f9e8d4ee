using System.Net;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Json;
using Gantry.LoadBalancing.Health;
using Gantry.LoadBalancing.State;
using Gantry.LoadBalancing.Tests.Http;
using Gantry.LoadBalancing.Tests.State;
using Gantry.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.LoadBalancing.Tests.Health;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime")]
public sealed class TargetHealthCheckerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(ElbFixtures.Registered);
    private TempStore _store = null!;
    private TargetHealthChecker _checker = null!;

    public async Task InitializeAsync()
    {
        _store = await TempStore.OpenAsync();
        // Checks are timed by the fake clock, but their timeouts by the real one: the fake clock runs fast while a check's I/O is in flight.
        _checker = new TargetHealthChecker(_store.Documents, new HealthProbe(TimeProvider.System), _time, NullLogger<TargetHealthChecker>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _checker.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_passing_target_turns_healthy_then_unhealthy_on_a_mismatching_code_and_records_only_changes()
    {
        await using var server = new StubHttpServer();
        var group = Group("web", configure: g => g with { Matcher = new Matcher { HttpCode = "200-299" } }, server.Endpoint);
        var start = _store.Documents.Store.CurrentRevision;
        await _checker.ApplyAsync(Snapshot(group), default);

        var record = await EventuallyAsync(group, server.Endpoint, r => r.State == "healthy");
        Assert.NotNull(record.HealthySince);
        await AdvanceUntilAsync(() => Task.FromResult(server.Requests >= 4));
        server.Status = 503;
        record = await EventuallyAsync(group, server.Endpoint, r => r.State == "unhealthy");

        Assert.Equal(("Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]"), (record.Reason, record.Description));
        var changes = await _store.Documents.Store.ChangesSinceAsync(start, 100, default);
        Assert.Equal(["initial", "healthy", "unhealthy"], changes.Where(c => c.Kind == ElbKinds.TargetHealth)
            .Select(c => System.Text.Json.JsonDocument.Parse(c.Body!).RootElement.GetProperty("State").GetString()));
    }

    [Fact]
    public async Task A_target_that_does_not_answer_in_time_turns_unhealthy_with_a_timeout()
    {
        await using var server = new StubHttpServer { Silent = true };
        var group = Group("web", configure: null, server.Endpoint);
        await using var checker = new TargetHealthChecker(_store.Documents, new HealthProbe(_time), _time, NullLogger<TargetHealthChecker>.Instance);
        await checker.ApplyAsync(Snapshot(group), default);

        var record = await EventuallyAsync(group, server.Endpoint, r => r.State == "unhealthy");

        Assert.Equal(("Target.Timeout", "Request timed out"), (record.Reason, record.Description));
    }

    [Fact]
    public async Task A_refused_connection_fails_the_checks_and_when_no_target_is_healthy_the_group_fails_open()
    {
        await using var healthy = new StubHttpServer();
        var closed = StubHttpServer.ClosedEndpoint();
        var group = Group("web", configure: null, closed, healthy.Endpoint);
        await _checker.ApplyAsync(Snapshot(group), default);

        var record = await EventuallyAsync(group, closed, r => r.State == "unhealthy");
        await EventuallyAsync(group, healthy.Endpoint, r => r.State == "healthy");
        Assert.Equal(("Target.FailedHealthChecks", "Health checks failed"), (record.Reason, record.Description));
        Assert.False(_checker.RouteOf(group, group.Targets[0]).Routable);
        Assert.Equal(TargetRoute.Full, _checker.RouteOf(group, group.Targets[1]));

        healthy.Status = 500;
        await EventuallyAsync(group, healthy.Endpoint, r => r.State == "unhealthy");
        Assert.Equal(TargetRoute.Full, _checker.RouteOf(group, group.Targets[0]));
        Assert.Equal(TargetRoute.Full, _checker.RouteOf(group, group.Targets[1]));
    }

    [Fact]
    public async Task HTTPS_checks_accept_any_target_certificate_and_match_the_status()
    {
        using var certificate = StubHttpServer.SelfSigned();
        await using var server = new StubHttpServer(certificate) { Status = 302 };
        var group = Group("secure", configure: g => g with { HealthCheckProtocol = "HTTPS", Matcher = new Matcher { HttpCode = "200,302" } }, server.Endpoint);
        await _checker.ApplyAsync(Snapshot(group), default);

        await EventuallyAsync(group, server.Endpoint, r => r.State == "healthy");
        server.Status = 301;
        var record = await EventuallyAsync(group, server.Endpoint, r => r.State == "unhealthy");

        Assert.Equal("Health checks failed with these codes: [301]", record.Description);
    }

    [Fact]
    public async Task TCP_checks_connect_to_the_health_check_port()
    {
        await using var server = new StubHttpServer { Silent = true };
        var traffic = StubHttpServer.ClosedEndpoint();
        var group = Group("tcp", configure: g => g with { Protocol = "TCP", HealthCheckProtocol = "TCP", HealthCheckPort = server.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, traffic);
        await _checker.ApplyAsync(Snapshot(group), default);

        await EventuallyAsync(group, traffic, r => r.State == "healthy");

        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Disabled_health_checks_make_targets_unavailable_and_routable()
    {
        await using var server = new StubHttpServer();
        var group = Group("web", configure: g => g with { HealthCheckEnabled = false }, server.Endpoint);

        await _checker.ApplyAsync(Snapshot(group), default);

        var record = await RecordAsync(group, server.Endpoint);
        Assert.Equal(("unavailable", "Target.HealthCheckDisabled", "Health checks are disabled"), (record!.State, record.Reason, record.Description));
        Assert.Equal(TargetRoute.Full, _checker.RouteOf(group, group.Targets[0]));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task A_target_joining_healthy_targets_slow_starts_linearly()
    {
        await using var first = new StubHttpServer();
        await using var second = new StubHttpServer();
        TargetGroupAttribute[] slowStart = [new() { Key = "slow_start.duration_seconds", Value = "100" }];
        var alone = Group("web", configure: null, slowStart, first.Endpoint);
        await _checker.ApplyAsync(Snapshot(alone), default);
        await EventuallyAsync(alone, first.Endpoint, r => r.State == "healthy");
        Assert.Equal(TargetRoute.Full, _checker.RouteOf(alone, alone.Targets[0]));

        var both = Group("web", configure: null, slowStart, first.Endpoint, second.Endpoint);
        await _checker.ApplyAsync(Snapshot(both), default);
        var record = await EventuallyAsync(both, second.Endpoint, r => r.State == "healthy");

        _time.SetUtcNow(record.HealthySince!.Value.AddSeconds(25));
        Assert.Equal(new TargetRoute(true, 0.25), _checker.RouteOf(both, both.Targets[1]));
        _time.SetUtcNow(record.HealthySince.Value.AddSeconds(100));
        Assert.Equal(TargetRoute.Full, _checker.RouteOf(both, both.Targets[1]));
    }

    [Fact]
    public async Task A_reported_failure_ejects_a_target_until_its_next_passing_check()
    {
        await using var first = new StubHttpServer();
        await using var second = new StubHttpServer();
        var group = Group("web", configure: null, first.Endpoint, second.Endpoint);
        await _checker.ApplyAsync(Snapshot(group), default);
        await EventuallyAsync(group, first.Endpoint, r => r.State == "healthy");
        await EventuallyAsync(group, second.Endpoint, r => r.State == "healthy");

        _checker.ReportFailure(group, group.Targets[0]);

        Assert.Equal(TargetRoute.Excluded, _checker.RouteOf(group, group.Targets[0]));
        Assert.Equal(TargetRoute.Full, _checker.RouteOf(group, group.Targets[1]));
        var served = first.Requests;
        await AdvanceUntilAsync(() => Task.FromResult(_checker.RouteOf(group, group.Targets[0]).Routable));
        Assert.True(first.Requests > served);
    }

    [Fact]
    public async Task Targets_that_leave_the_snapshot_are_no_longer_checked_and_their_records_go()
    {
        await using var server = new StubHttpServer();
        var group = Group("web", configure: null, server.Endpoint);
        await _checker.ApplyAsync(Snapshot(group), default);
        await EventuallyAsync(group, server.Endpoint, r => r.State == "healthy");

        await _checker.ApplyAsync(Snapshot(Group("web", configure: null)), default);
        var served = server.Requests;
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(await RecordAsync(group, server.Endpoint));
        Assert.Equal(served, server.Requests);
    }

    [Fact]
    public async Task A_first_check_stored_before_the_new_targets_initial_record_leaves_the_record_healthy()
    {
        var target = new IPEndPoint(IPAddress.Loopback, 8080);
        var group = Group("web", configure: null, target);
        var start = _store.Documents.Store.CurrentRevision;
        await using var checker = new TargetHealthChecker(_store.Documents, new ScriptedProbe(ProbeOutcome.Pass), _time, NullLogger<TargetHealthChecker>.Instance);

        await checker.ApplyAsync(Snapshot(group), default);
        await WaitFor.ConditionAsync(async () => (await StatesSinceAsync(start)).Contains("healthy"));

        Assert.Equal("healthy", (await RecordAsync(group, target))!.State);
    }

    [Fact]
    public async Task A_check_finishing_after_its_target_is_deregistered_leaves_no_record()
    {
        var target = new IPEndPoint(IPAddress.Loopback, 8080);
        var group = Group("web", configure: null, target);
        var probe = new ScriptedProbe();
        var store = new HeldCommitStore(_store.Documents.Store);
        await using var checker = new TargetHealthChecker(new Documents(store, AwsJson.Options), probe, _time, NullLogger<TargetHealthChecker>.Instance);
        await checker.ApplyAsync(Snapshot(group), default);
        var check = await probe.NextCallAsync();

        var healthy = store.HoldNext();
        check.SetResult(ProbeOutcome.Pass);
        await healthy.Entered;
        var deregistering = checker.ApplyAsync(Snapshot(Group("web", configure: null)), default);
        healthy.Release();
        await healthy.Completed;
        await deregistering.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(await RecordAsync(group, target));
    }

    private async Task<List<string?>> StatesSinceAsync(long revision) =>
        [.. (await _store.Documents.Store.ChangesSinceAsync(revision, 100, default)).Where(c => c.Kind == ElbKinds.TargetHealth && c.Body is not null)
            .Select(c => System.Text.Json.JsonDocument.Parse(c.Body!).RootElement.GetProperty("State").GetString())];

    private static TargetGroupView Group(string name, Func<TargetGroup, TargetGroup>? configure, params IPEndPoint[] targets) =>
        Group(name, configure, [], targets);

    private static TargetGroupView Group(string name, Func<TargetGroup, TargetGroup>? configure, IReadOnlyList<TargetGroupAttribute> attributes, params IPEndPoint[] targets)
    {
        var record = ElbFixtures.Group(name, "ip", [.. targets.Select(t => ElbFixtures.Target(t.Address.ToString(), t.Port))], attributes, g =>
        {
            var fast = g with { HealthCheckIntervalSeconds = 5, HealthCheckTimeoutSeconds = 2, HealthyThresholdCount = 2, UnhealthyThresholdCount = 2 };
            return configure is null ? fast : configure(fast);
        });
        return new TargetGroupView(record, [.. targets.Select(t => new TargetView(new TargetKey(t.Address.ToString(), t.Port), t, ElbFixtures.Registered, null))]);
    }

    private static LoadBalancingSnapshot Snapshot(params TargetGroupView[] groups) =>
        new(1, [], groups.ToDictionary(g => g.Arn));

    private Task<TargetHealthRecord?> RecordAsync(TargetGroupView group, IPEndPoint target) =>
        _store.Documents.GetAsync<TargetHealthRecord>(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey(group.Name, target.Address.ToString(), target.Port), default)
            .ContinueWith(t => t.Result?.Value, TaskScheduler.Default);

    private async Task<TargetHealthRecord> EventuallyAsync(TargetGroupView group, IPEndPoint target, Func<TargetHealthRecord, bool> condition)
    {
        TargetHealthRecord? record = null;
        await AdvanceUntilAsync(async () => (record = await RecordAsync(group, target)) is { } r && condition(r));
        return record!;
    }

    /// <summary>Advances the fake clock a second at a time (timers fire, checks run on real sockets) until the condition holds.</summary>
    private async Task AdvanceUntilAsync(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            limit.Token.ThrowIfCancellationRequested();
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, limit.Token);
        }
    }
}
