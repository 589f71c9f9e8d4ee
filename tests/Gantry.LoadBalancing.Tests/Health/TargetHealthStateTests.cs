using Gantry.LoadBalancing.Health;
using Gantry.LoadBalancing.Tests.State;

namespace Gantry.LoadBalancing.Tests.Health;

public sealed class TargetHealthStateTests
{
    private static readonly DateTimeOffset Now = ElbFixtures.Registered;
    private static readonly HealthCheckSettings Settings = HealthCheckSettings.Of(ElbFixtures.Group("web", "ip", [], configure: g => g with
    {
        HealthyThresholdCount = 3,
        UnhealthyThresholdCount = 2,
    }).TargetGroup);

    [Fact]
    public void One_pass_after_registration_makes_a_target_healthy()
    {
        var state = new TargetHealthState(Now);
        Assert.Equal(("initial", "Elb.InitialHealthChecking", "Initial health checks in progress"), (state.State, state.Reason, state.Description));

        Assert.True(state.Observe(ProbeOutcome.Pass, Settings, Now.AddSeconds(1), othersFullyHealthy: false));

        Assert.Equal(("healthy", null, null), (state.State, state.Reason, state.Description));
        Assert.Equal(Now.AddSeconds(1), state.HealthySince);
        Assert.False(state.SlowStarts);
    }

    [Fact]
    public void Unhealthy_after_the_unhealthy_threshold_and_healthy_again_after_the_healthy_threshold()
    {
        var state = new TargetHealthState(Now);
        state.Observe(ProbeOutcome.Pass, Settings, Now, false);

        Assert.False(state.Observe(ProbeOutcome.CodeMismatch(503), Settings, Now, false));
        Assert.True(state.Observe(ProbeOutcome.CodeMismatch(503), Settings, Now.AddSeconds(5), false));
        Assert.Equal(("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]"), (state.State, state.Reason, state.Description));
        Assert.Equal(Now.AddSeconds(5), state.Since);

        Assert.False(state.Observe(ProbeOutcome.CodeMismatch(503), Settings, Now.AddSeconds(10), false));
        Assert.False(state.Observe(ProbeOutcome.Pass, Settings, Now, false));
        Assert.False(state.Observe(ProbeOutcome.Pass, Settings, Now, false));
        Assert.True(state.Observe(ProbeOutcome.Pass, Settings, Now.AddSeconds(30), othersFullyHealthy: true));
        Assert.Equal("healthy", state.State);
        Assert.True(state.SlowStarts);
    }

    [Fact]
    public void A_pass_between_failures_restarts_the_count()
    {
        var state = new TargetHealthState(Now);
        state.Observe(ProbeOutcome.Pass, Settings, Now, false);
        state.Observe(ProbeOutcome.TimedOut, Settings, Now, false);
        state.Observe(ProbeOutcome.Pass, Settings, Now, false);
        state.Observe(ProbeOutcome.TimedOut, Settings, Now, false);
        Assert.Equal("healthy", state.State);
        state.Observe(ProbeOutcome.TimedOut, Settings, Now, false);
        Assert.Equal(("unhealthy", "Target.Timeout", "Request timed out"), (state.State, state.Reason, state.Description));
    }

    [Theory]
    [InlineData("200", 200, true)]
    [InlineData("200", 201, false)]
    [InlineData("200-299", 299, true)]
    [InlineData("200-299", 302, false)]
    [InlineData("200,302", 302, true)]
    [InlineData("200,302", 301, false)]
    public void Matchers_take_codes_ranges_and_lists(string matcher, int code, bool matches) =>
        Assert.Equal(matches, new HttpCodeMatcher(matcher).Matches(code));
}
