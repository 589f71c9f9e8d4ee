using System.Globalization;
using Gantry.LoadBalancing.Http.Targets;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gantry.LoadBalancing.Http.Forwarding;

/// <summary>
/// <see cref="ElbRequestTransformer"/> for one request whose response carries stickiness cookies: the weighted
/// forward's <c>AWSALBTG</c> naming the chosen target group, and the group's <c>AWSALB</c> (every response) or
/// <c>AWSALBAPP-0</c> (when the target sets the application's cookie) naming the target.
/// </summary>
internal sealed class StickyCookieTransformer(TimeProvider time, GroupCookie? groupCookie, GroupStickiness? stickiness, string target)
    : ElbRequestTransformer(time)
{
    public const string TargetGroupCookie = "AWSALBTG";

    private readonly TimeProvider _time = time;

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var cookies = httpContext.Response.Headers;
        if (groupCookie is { } group)
        {
            cookies.Append(HeaderNames.SetCookie, Cookie(TargetGroupCookie, group.Value, group.Duration, cors: false));
            cookies.Append(HeaderNames.SetCookie, Cookie(TargetGroupCookie + "CORS", group.Value, group.Duration, cors: true));
        }

        if (stickiness is not null && (stickiness.AppCookieName is null || SetsCookie(proxyResponse, stickiness.AppCookieName)))
        {
            var name = stickiness.CookieName;
            cookies.Append(HeaderNames.SetCookie, Cookie(name, target, stickiness.Duration, cors: false));
            if (stickiness.AppCookieName is null)
            {
                cookies.Append(HeaderNames.SetCookie, Cookie(name + "CORS", target, stickiness.Duration, cors: true));
            }
        }

        return copyBody;
    }

    private string Cookie(string name, string value, TimeSpan duration, bool cors)
    {
        var expires = _time.GetUtcNow().Add(duration).ToString("R", CultureInfo.InvariantCulture);
        return cors ? $"{name}={value}; Expires={expires}; Path=/; SameSite=None; Secure" : $"{name}={value}; Expires={expires}; Path=/";
    }

    private static bool SetsCookie(HttpResponseMessage? response, string cookieName)
    {
        if (response is null || !response.Headers.TryGetValues(HeaderNames.SetCookie, out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            if (value.Length > cookieName.Length && value[cookieName.Length] == '=' && value.StartsWith(cookieName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The <c>AWSALBTG</c> cookie a weighted forward with target group stickiness sets.</summary>
internal readonly record struct GroupCookie(string Value, TimeSpan Duration);
