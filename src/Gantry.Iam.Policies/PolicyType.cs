namespace Gantry.Iam.Policies;

/// <summary>The kind of policy that decided a request, as AWS's AccessDenied messages name it.</summary>
public enum PolicyType
{
    /// <summary>The caller's user, group or role policies ("identity-based").</summary>
    IdentityBased,

    /// <summary>The resource's own policy ("resource-based").</summary>
    ResourceBased,

    /// <summary>The policy passed when the session was created ("session").</summary>
    Session,
}

/// <summary>AWS's wording of each <see cref="PolicyType"/>.</summary>
public static class PolicyTypeNames
{
    /// <summary>"identity-based", "resource-based" or "session", as in "no identity-based policy allows".</summary>
    public static string WireName(this PolicyType type) => type switch
    {
        PolicyType.IdentityBased => "identity-based",
        PolicyType.ResourceBased => "resource-based",
        PolicyType.Session => "session",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
