using System.Globalization;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Http.Targets;

/// <summary>
/// A target group's stickiness attributes: <c>lb_cookie</c> keeps a client on its target with the balancer's own
/// <c>AWSALB</c> cookie; <c>app_cookie</c> binds <c>AWSALBAPP-0</c> to the application's cookie once the target sets it.
/// </summary>
internal sealed record GroupStickiness(string CookieName, TimeSpan Duration, string? AppCookieName)
{
    public const string LoadBalancerCookie = "AWSALB";

    public const string ApplicationCookie = "AWSALBAPP-0";

    public static GroupStickiness? Of(TargetGroupView group)
    {
        if (!string.Equals(group.Attribute("stickiness.enabled", "false"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (group.Attribute("stickiness.type", "lb_cookie") == "app_cookie")
        {
            return new GroupStickiness(ApplicationCookie, Seconds(group.Attribute("stickiness.app_cookie.duration_seconds", "86400")),
                group.Attribute("stickiness.app_cookie.cookie_name", ""));
        }

        return new GroupStickiness(LoadBalancerCookie, Seconds(group.Attribute("stickiness.lb_cookie.duration_seconds", "86400")), null);
    }

    private static TimeSpan Seconds(string value) =>
        TimeSpan.FromSeconds(int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 86400);
}
