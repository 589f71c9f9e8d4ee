using Gantry.Agent.Logs.Shipping;
using Gantry.Agent.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gantry.Agent.Connection;

/// <summary>
/// Ships logs to the control plane over its gRPC listener (one HTTP/2 connection, multiplexed), authenticated
/// with a registry token that is fetched on first use and again when the control plane refuses it.
/// </summary>
public sealed class ControlPlaneLogs(AgentSettings settings, RegistryTokenClient tokens) : ILogDestination, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(settings.AgentEndpoint);
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private string? _token;

    public Task<long> OpenAsync(LogStreamRef stream, CancellationToken ct) =>
        CallAsync(async (client, headers) => (await client.OpenLogStreamAsync(stream, headers, cancellationToken: ct).ConfigureAwait(false)).Position, ct);

    public Task<long> ShipAsync(LogBatch batch, CancellationToken ct) =>
        CallAsync(async (client, headers) => (await client.ShipLogsAsync(batch, headers, cancellationToken: ct).ConfigureAwait(false)).Position, ct);

    public void Dispose()
    {
        _channel.Dispose();
        _tokenLock.Dispose();
    }

    private async Task<long> CallAsync(Func<AgentControl.AgentControlClient, Metadata, Task<long>> call, CancellationToken ct)
    {
        var client = new AgentControl.AgentControlClient(_channel);
        for (var attempt = 0; ; attempt++)
        {
            var token = await TokenAsync(refresh: attempt > 0, ct).ConfigureAwait(false);
            try
            {
                return await call(client, new Metadata { { "authorization", $"Bearer {token}" } }).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated && attempt == 0)
            {
                // The token expired (12 hours): fetch a new one and try once more.
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                throw new LogGroupMissingException(e.Status.Detail);
            }
        }
    }

    private async Task<string> TokenAsync(bool refresh, CancellationToken ct)
    {
        await _tokenLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_token is null || refresh)
            {
                _token = (await tokens.FetchAsync(ct).ConfigureAwait(false)).Password;
            }
            return _token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }
}
