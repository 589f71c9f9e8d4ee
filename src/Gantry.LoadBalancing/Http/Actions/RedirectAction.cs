using System.Globalization;
using System.Text;
using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.Http.Conditions;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Actions;

/// <summary>
/// <c>redirect</c>: a 301 or 302 to the URL the config builds, its <c>#{protocol}</c>, <c>#{host}</c>, <c>#{port}</c>,
/// <c>#{path}</c> (without its leading slash) and <c>#{query}</c> replaced from the request; defaults keep each part.
/// A port that is the protocol's default is left out of the URL.
/// </summary>
internal sealed class RedirectAction(RedirectActionConfig config) : IRuleAction
{
    private readonly string _protocol = config.Protocol ?? "#{protocol}";
    private readonly string _host = config.Host ?? "#{host}";
    private readonly string _port = config.Port ?? "#{port}";
    private readonly string _path = config.Path ?? "/#{path}";
    private readonly string _query = config.Query ?? "#{query}";
    private readonly int _status = config.StatusCode == "HTTP_301" ? StatusCodes.Status301MovedPermanently : StatusCodes.Status302Found;

    public Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = _status;
        context.Response.Headers.Location = Location(context.Request, context.Connection.LocalPort);
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public string Location(HttpRequest request, int listenerPort)
    {
        var values = new Placeholders(
            request.IsHttps ? "https" : "http",
            HostHeaderCondition.HostName(request.Host.Value).ToString(),
            listenerPort.ToString(CultureInfo.InvariantCulture),
            (request.Path.Value ?? "/").TrimStart('/'),
            request.QueryString.HasValue ? request.QueryString.Value![1..] : "");
        var protocol = values.Fill(_protocol).ToLowerInvariant();
        var port = values.Fill(_port);
        var omitPort = (protocol == "http" && port == "80") || (protocol == "https" && port == "443");
        var location = new StringBuilder(protocol).Append("://").Append(values.Fill(_host));
        if (!omitPort)
        {
            location.Append(':').Append(port);
        }

        location.Append(values.Fill(_path));
        var query = values.Fill(_query);
        if (query.Length > 0)
        {
            location.Append('?').Append(query);
        }

        return location.ToString();
    }

    private sealed record Placeholders(string Protocol, string Host, string Port, string Path, string Query)
    {
        public string Fill(string template) => template
            .Replace("#{protocol}", Protocol, StringComparison.Ordinal)
            .Replace("#{host}", Host, StringComparison.Ordinal)
            .Replace("#{port}", Port, StringComparison.Ordinal)
            .Replace("#{path}", Path, StringComparison.Ordinal)
            .Replace("#{query}", Query, StringComparison.Ordinal);
    }
}
