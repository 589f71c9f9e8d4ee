using System.Collections.Concurrent;

namespace Gantry.Agent.Tests.Engine.Fakes;

/// <summary>What a task runner asked of its node, in order, as the fakes record it (<c>pull web</c>, <c>start web</c>, …).</summary>
public sealed class NodeCalls
{
    private readonly ConcurrentQueue<string> _calls = new();

    public IReadOnlyList<string> All => [.. _calls];

    public void Add(string call) => _calls.Enqueue(call);

    /// <summary>The container name in a runtime id (<c>&lt;task id&gt;-&lt;name&gt;</c>; the fakes' names have no dash).</summary>
    public static string NameOf(string runtimeId) => runtimeId[(runtimeId.LastIndexOf('-') + 1)..];
}
