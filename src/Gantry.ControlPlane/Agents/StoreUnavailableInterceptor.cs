using Gantry.Store;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// An agent call that fails because the state store is unavailable ends with status UNAVAILABLE and the store's reason,
/// which the agent (and the simulator) answer by dialling again with backoff, instead of UNKNOWN ("Exception was thrown
/// by handler") and a stack trace in the control plane's log for every node during an outage.
/// </summary>
public sealed class StoreUnavailableInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            throw Unavailable(e);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            throw Unavailable(e);
        }
    }

    private static RpcException Unavailable(StoreUnavailableException e) => new(new Status(StatusCode.Unavailable, e.Message, e));
}
