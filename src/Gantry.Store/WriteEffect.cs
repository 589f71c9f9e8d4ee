namespace Gantry.Store;

/// <summary>What one write of a commit does to an object, the same in every backend.</summary>
public static class WriteEffect
{
    /// <summary>The change <paramref name="op"/> makes to an object now at <paramref name="current"/> (0: absent) in
    /// the commit of <paramref name="revision"/>: a new body (put), a null body (delete), or null when it writes
    /// nothing (a check, a delete of nothing).</summary>
    /// <exception cref="ConcurrencyConflictException">The object is not at the operation's expected version.</exception>
    public static Change? Of(WriteOp op, long current, long revision)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (op.ExpectedVersion is { } expected && expected != current)
        {
            throw new ConcurrencyConflictException(op.Kind, op.Key, expected, current);
        }
        return op switch
        {
            PutOp put => new Change(revision, op.Kind, op.Key, current + 1, put.Body),
            CheckOp => null,
            DeleteOp => current == 0 ? null : new Change(revision, op.Kind, op.Key, current, null),
            _ => throw new ArgumentException($"Unknown write operation {op.GetType().Name}.", nameof(op)),
        };
    }
}
