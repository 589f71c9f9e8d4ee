namespace Gantry.ControlPlane.Discovery;

/// <summary>The values Cloud Map takes when a request leaves them out.</summary>
public static class DiscoveryDefaults
{
    /// <summary>A private DNS namespace's SOA (negative caching) TTL, in seconds, as Cloud Map creates its hosted zones.</summary>
    public const long SoaTtl = 15;
}
