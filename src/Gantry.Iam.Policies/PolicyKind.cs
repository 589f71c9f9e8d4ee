namespace Gantry.Iam.Policies;

/// <summary>Where a policy document is attached, which decides what IAM accepts in it.</summary>
public enum PolicyKind
{
    /// <summary>Attached to a user, group or role (inline or managed), or passed as a session policy: no
    /// <c>Principal</c>, every statement names its resources.</summary>
    Identity,

    /// <summary>Attached to a resource (repository policy, role trust policy…): every statement names a
    /// <c>Principal</c> or <c>NotPrincipal</c>; a statement without <c>Resource</c> applies to that resource.</summary>
    Resource,
}
