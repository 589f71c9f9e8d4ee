using System.Collections.Concurrent;

namespace Gantry.Iam.Policies;

/// <summary>
/// Compiled policies by document text, so a managed policy attached to many principals is compiled once. Bounded:
/// when it holds <c>capacity</c> documents it starts again empty (compiling is cheap; the bound keeps memory flat).
/// Thread-safe. Callers that store policies should also keep the <see cref="CompiledPolicy"/> next to the stored
/// document and skip the text lookup altogether.
/// </summary>
public sealed class PolicyCache(int capacity = 4096)
{
    private readonly ConcurrentDictionary<(PolicyKind, string), CompiledPolicy> _compiled = new();

    /// <summary>How many compiled documents are held.</summary>
    public int Count => _compiled.Count;

    /// <summary>The compiled policy for <paramref name="json"/>; throws <see cref="MalformedPolicyDocumentException"/>
    /// for documents IAM refuses (refusals are not cached).</summary>
    public CompiledPolicy GetOrParse(string json, PolicyKind kind)
    {
        if (_compiled.TryGetValue((kind, json), out CompiledPolicy? policy))
        {
            return policy;
        }

        policy = PolicyDocument.Parse(json, kind);
        if (_compiled.Count >= capacity)
        {
            _compiled.Clear();
        }

        return _compiled.GetOrAdd((kind, json), policy);
    }
}
