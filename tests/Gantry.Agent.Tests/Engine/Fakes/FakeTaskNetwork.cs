using System.Net;
using Gantry.Agent.Networking;

namespace Gantry.Agent.Tests.Engine.Fakes;

/// <summary>Networking without namespaces: every task that has an address gets <see cref="Address"/> (or its interface's); ports are recorded, never bound.</summary>
public sealed class FakeTaskNetwork(NodeCalls calls) : ITaskNetwork
{
    public static readonly IPAddress Address = IPAddress.Parse("10.214.0.5");

    public Task<IPAddress?> EnsureAsync(string? networkMode, string taskId, InterfaceAddress? eni, CancellationToken ct)
    {
        calls.Add(eni is null ? "network ensure" : $"network ensure {eni.Address}/{eni.PrefixLength} via {eni.Gateway}");
        return Task.FromResult(eni is not null ? IPAddress.Parse(eni.Address) : TaskNetwork.HasAddress(networkMode) ? Address : null);
    }

    public Task ApplyFirewallAsync(string taskId, TaskFirewallPolicy policy, CancellationToken ct)
    {
        calls.Add($"firewall {policy.Ingress.Count} in {policy.Egress.Count} out");
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string? networkMode, string taskId, InterfaceAddress? eni, CancellationToken ct)
    {
        calls.Add(eni is null ? "network remove" : $"network remove {eni.Address}");
        return Task.CompletedTask;
    }

    public IPAddress PublishAddress => IPAddress.Loopback;

    public IPublishedPort Publish(string protocol, int hostPort, IPEndPoint target)
    {
        calls.Add(protocol == "tcp" ? $"publish {hostPort}" : $"publish {hostPort}/{protocol}");
        return new Port(hostPort);
    }

    private sealed class Port(int hostPort) : IPublishedPort
    {
        public int HostPort => hostPort;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
