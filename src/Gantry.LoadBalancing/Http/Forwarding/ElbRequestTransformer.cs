using System.Globalization;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gantry.LoadBalancing.Http.Forwarding;

/// <summary>
/// The request as ELB hands it to a target: every header copied (Host kept), the client's address appended to
/// X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Port set to the listener's, and an X-Amzn-Trace-Id root when
/// the client sent none.
/// </summary>
internal class ElbRequestTransformer(TimeProvider time) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var headers = proxyRequest.Headers;
        var client = httpContext.Connection.RemoteIpAddress;
        if (client is not null)
        {
            if (client.IsIPv4MappedToIPv6)
            {
                client = client.MapToIPv4();
            }

            var prior = httpContext.Request.Headers["X-Forwarded-For"];
            headers.Remove("X-Forwarded-For");
            headers.TryAddWithoutValidation("X-Forwarded-For", prior.Count == 0 ? client.ToString() : $"{prior}, {client}");
        }

        headers.Remove("X-Forwarded-Proto");
        headers.TryAddWithoutValidation("X-Forwarded-Proto", httpContext.Request.IsHttps ? "https" : "http");
        headers.Remove("X-Forwarded-Port");
        headers.TryAddWithoutValidation("X-Forwarded-Port", httpContext.Connection.LocalPort.ToString(CultureInfo.InvariantCulture));
        if (!headers.Contains(TraceIds.Header))
        {
            headers.TryAddWithoutValidation(TraceIds.Header, TraceIds.NewRoot(time));
        }
    }
}
