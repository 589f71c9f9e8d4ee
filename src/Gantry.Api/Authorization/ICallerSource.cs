namespace Gantry.Api.Authorization;

/// <summary>Finds the principal behind an access key that signed a request.</summary>
public interface ICallerSource
{
    /// <summary>The caller, or null when the key no longer belongs to anyone (its user or role was deleted).</summary>
    ValueTask<Caller?> FindAsync(string accessKeyId, CancellationToken ct);
}
