using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Forwarding;

/// <summary>The bodies ELB answers its own errors with (502 no answer from the target, 503 no target, 504 target timeout).</summary>
internal static class ElbErrorPages
{
    private static readonly byte[] BadGateway = Page("502 Bad Gateway");
    private static readonly byte[] ServiceUnavailable = Page("503 Service Temporarily Unavailable");
    private static readonly byte[] GatewayTimeout = Page("504 Gateway Time-out");

    public static Task WriteAsync(HttpContext context, int status)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var body = status switch
        {
            StatusCodes.Status503ServiceUnavailable => ServiceUnavailable,
            StatusCodes.Status504GatewayTimeout => GatewayTimeout,
            _ => BadGateway,
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static byte[] Page(string title) => Encoding.ASCII.GetBytes(
        $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n");
}
