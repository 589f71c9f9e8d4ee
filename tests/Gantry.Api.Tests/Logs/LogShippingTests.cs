using Gantry.Agent.Protocol;
using Gantry.Api.Logs;
using Grpc.Core;

namespace Gantry.Api.Tests.Logs;

/// <summary>The agents' log shipping holds events to CloudWatch's ranges before they reach the store.</summary>
public sealed class LogShippingTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_negative_timestamp_is_InvalidArgument_and_stores_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var shipping = new LogShipping(host.LogStore, TimeProvider.System);
        var stream = new LogStreamRef { Group = $"/gantry/ship-{Guid.NewGuid():N}", Stream = "s", CreateGroup = true };
        await shipping.OpenAsync(stream, timeout.Token);
        var batch = new LogBatch { Stream = stream };
        batch.Events.Add(new LogEvent { TimestampMs = -1, Message = "before the epoch", Position = 1 });

        var refused = await Assert.ThrowsAsync<RpcException>(() => shipping.ShipAsync(batch, timeout.Token));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var page = await host.LogStore.GetStreamEventsAsync(stream.Group, stream.Stream, null, null, true, null, 10, timeout.Token);
        Assert.Empty(page.Events);
    }
}
