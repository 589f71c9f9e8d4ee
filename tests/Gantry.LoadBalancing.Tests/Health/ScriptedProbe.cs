using System.Net;
using System.Threading.Channels;
using Gantry.LoadBalancing.Health;

namespace Gantry.LoadBalancing.Tests.Health;

/// <summary>A probe whose checks all answer <paramref name="always"/> at once, or, without it, wait for the test to answer each.</summary>
internal sealed class ScriptedProbe(ProbeOutcome? always = null) : IHealthProbe
{
    private readonly Channel<TaskCompletionSource<ProbeOutcome>> _calls = Channel.CreateUnbounded<TaskCompletionSource<ProbeOutcome>>();

    public Task<ProbeOutcome> CheckAsync(HealthCheckSettings settings, IPEndPoint target, CancellationToken ct)
    {
        if (always is not null)
        {
            return Task.FromResult(always);
        }
        var call = new TaskCompletionSource<ProbeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls.Writer.TryWrite(call);
        return call.Task.WaitAsync(ct);
    }

    /// <summary>The next check to answer, once it has started.</summary>
    public async Task<TaskCompletionSource<ProbeOutcome>> NextCallAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _calls.Reader.ReadAsync(timeout.Token);
    }
}
