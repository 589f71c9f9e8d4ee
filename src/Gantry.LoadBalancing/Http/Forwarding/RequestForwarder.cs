using System.Net;
using Gantry.LoadBalancing.Http.Targets;
using Gantry.LoadBalancing.State;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gantry.LoadBalancing.Http.Forwarding;

/// <summary>
/// Sends requests to targets through YARP's forwarder over one shared pooled client, counting requests in flight per
/// target, and answers failures as ELB does: 503 with no routable target, 502 (and a reported failure, for passive
/// ejection) when the target gave no answer, 504 when it timed out.
/// </summary>
internal sealed class RequestForwarder(IHttpForwarder forwarder, HttpMessageInvoker client, ITargetHealth health, TimeProvider time)
{
    private readonly ElbRequestTransformer _plain = new(time);

    public static HttpMessageInvoker CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        // ELB does not validate the certificates of HTTPS targets.
#pragma warning disable CA5359
        SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
#pragma warning restore CA5359
    }, disposeHandler: true);

    public static ForwarderRequestConfig ConfigFor(TargetGroupView group, TimeSpan idleTimeout) =>
        group.Record.TargetGroup.ProtocolVersion is "HTTP2" or "GRPC"
            ? new ForwarderRequestConfig { ActivityTimeout = idleTimeout, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
            : new ForwarderRequestConfig { ActivityTimeout = idleTimeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };

    public async Task ForwardAsync(HttpContext context, TargetGroupBalancer group, ForwarderRequestConfig config, GroupCookie? groupCookie)
    {
        var choice = group.Choose(context);
        if (choice.Target is not { } target)
        {
            await ElbErrorPages.WriteAsync(context, StatusCodes.Status503ServiceUnavailable);
            return;
        }

        HttpTransformer transformer = groupCookie is null && choice.Stickiness is null
            ? _plain
            : new StickyCookieTransformer(time, groupCookie, choice.Stickiness, target.CookieValue);
        target.Counters.Started();
        try
        {
            var error = await forwarder.SendAsync(context, target.DestinationPrefix, client, config, transformer);
            if (error != ForwarderError.None)
            {
                await AnswerErrorAsync(context, error, group, target);
            }
        }
        finally
        {
            target.Counters.Finished();
        }
    }

    private Task AnswerErrorAsync(HttpContext context, ForwarderError error, TargetGroupBalancer group, TargetEntry target)
    {
        switch (error)
        {
            case ForwarderError.Request:
                if (group.View is { } view)
                {
                    health.ReportFailure(view, target.View);
                }

                return ElbErrorPages.WriteAsync(context, StatusCodes.Status502BadGateway);
            case ForwarderError.RequestTimedOut:
                return ElbErrorPages.WriteAsync(context, StatusCodes.Status504GatewayTimeout);
            case ForwarderError.RequestCreation:
                return ElbErrorPages.WriteAsync(context, StatusCodes.Status502BadGateway);
            default:
                return Task.CompletedTask;
        }
    }
}
