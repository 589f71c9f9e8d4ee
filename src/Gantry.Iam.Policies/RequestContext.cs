using System.Globalization;

namespace Gantry.Iam.Policies;

/// <summary>
/// The condition keys of one request (aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalTag/…,
/// aws:ResourceTag/…, aws:RequestTag/…, aws:TagKeys, aws:SourceIp, aws:CurrentTime, aws:SecureTransport, service
/// keys such as ecs:cluster). Key names are case-insensitive. Built by the caller once per request; not thread-safe
/// while being built.
/// </summary>
public sealed class RequestContext
{
    private readonly Dictionary<string, ContextValue> _values = new(16, StringComparer.OrdinalIgnoreCase);

    /// <summary>Sets a single-valued key.</summary>
    public RequestContext Set(string key, string value)
    {
        _values[key] = new ContextValue(value);
        return this;
    }

    /// <summary>Sets a Boolean key ("true"/"false").</summary>
    public RequestContext Set(string key, bool value) => Set(key, value ? "true" : "false");

    /// <summary>Sets a date key (ISO 8601, UTC), e.g. aws:CurrentTime.</summary>
    public RequestContext Set(string key, DateTimeOffset value) =>
        Set(key, value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    /// <summary>Sets a multi-valued key such as aws:TagKeys (an empty set is the same as absent).</summary>
    public RequestContext SetValues(string key, IEnumerable<string> values)
    {
        _values[key] = new ContextValue([.. values]);
        return this;
    }

    /// <summary>The key's value(s), if the request has the key.</summary>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ContextValue? value) =>
        _values.TryGetValue(key, out value);
}
