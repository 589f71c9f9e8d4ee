using System.Globalization;
using System.Text;
using Gantry.Domain.Elbv2;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Actions;

/// <summary><c>fixed-response</c>: the configured status, content type and body.</summary>
internal sealed class FixedResponseAction(FixedResponseActionConfig config) : IRuleAction
{
    private readonly int _status = int.TryParse(config.StatusCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out var status) ? status : 200;
    private readonly string _contentType = config.ContentType ?? "text/plain";
    private readonly byte[] _body = Encoding.UTF8.GetBytes(config.MessageBody ?? "");

    public Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = _status;
        response.ContentType = _contentType;
        response.ContentLength = _body.Length;
        return _body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(_body, context.RequestAborted).AsTask();
    }
}
