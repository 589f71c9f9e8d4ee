using Gantry.Agent.Connection;

namespace Gantry.Cli.Commands;

/// <summary>The replicas an agent dials: --server values (repeated and/or comma-separated), each with its --agent-server
/// (same order) or its port + 1; null when --agent-server names a different number of endpoints.</summary>
internal static class ServerList
{
    public static IReadOnlyList<ControlPlaneServer>? Parse(string[]? servers, string[]? agentServers)
    {
        var apis = Split(servers).Select(s => new Uri(s)).ToList();
        var agents = Split(agentServers).Select(s => new Uri(s)).ToList();
        if (apis.Count == 0)
        {
            apis.Add(new Uri("http://127.0.0.1:4566"));
        }
        if (agents.Count != 0 && agents.Count != apis.Count)
        {
            return null;
        }
        return [.. apis.Select((api, i) => new ControlPlaneServer(api, agents.Count == 0 ? new UriBuilder(api) { Port = api.Port + 1 }.Uri : agents[i]))];
    }

    private static IEnumerable<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
