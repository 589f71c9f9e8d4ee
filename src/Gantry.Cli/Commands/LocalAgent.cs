using Gantry.Agent;
using Gantry.Agent.Connection;
using Gantry.Agent.Runtime.Conmon;
using Gantry.Api.Nodes;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.Nodes;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Commands;

/// <summary>The agent `gantry dev` runs beside its control plane, registered into the default cluster.</summary>
internal static class LocalAgent
{
    public const string Cluster = "default";

    /// <summary>Why this machine cannot run containers, or null when it can.</summary>
    public static string? WhyNot()
    {
        if (Environment.UserName != "root")
        {
            return "running containers needs root (runc, overlayfs, network namespaces)";
        }
        foreach (var tool in new[] { ContainerRuntime.Runc, ContainerRuntime.ConmonBinary, "/usr/sbin/ip" })
        {
            if (!File.Exists(tool))
            {
                return $"{tool} is missing (scripts/install-deps installs runc, conmon and iproute2)";
            }
        }
        return null;
    }

    /// <summary>
    /// Starts the local agent in the default cluster and the FARGATE pool, publishing ports on 127.0.0.1. It reuses its stored node credentials while the control plane still
    /// accepts them; otherwise it joins with a short-lived token created here, in-process.
    /// </summary>
    public static async Task<AgentHost> StartAsync(ControlPlane plane, ControlPlaneSettings settings, ILoggerFactory logging, CancellationToken ct)
    {
        using var http = new HttpClient();
        var client = new GantryClient(http, plane.Endpoint, new GantryCredentials(plane.RootKey.AccessKeyId, plane.RootKey.SecretAccessKey), settings.Account.Region);
        await client.CallAsync("ecs", "AmazonEC2ContainerServiceV20141113.CreateCluster", new { clusterName = Cluster }, ct).ConfigureAwait(false);
        var state = Path.Combine(settings.DataDirectory, "agent");
        string? joinToken = null;
        var stored = NodeCredentials.Load(state);
        if (!await AcceptedAsync(plane.Nodes, stored, ct).ConfigureAwait(false))
        {
            if (stored is not null)
            {
                File.Delete(NodeCredentials.PathIn(state));
            }
            joinToken = (await plane.Nodes.CreateTokenAsync(Cluster, FargatePool.Fargate, TimeSpan.FromMinutes(10), "gantry dev: local agent", ct).ConfigureAwait(false)).Token;
        }
        var agent = new AgentSettings(plane.Endpoint, plane.AgentEndpoint, Cluster, joinToken, state, $"{settings.Account.Region}a", 256, [],
            Capacity: FargatePool.Fargate, Publish: System.Net.IPAddress.Loopback, // a laptop's ports stay on the laptop
            DnsServer: plane.Dns?.Endpoint);
        return await AgentHost.StartAsync(agent, logging, TimeProvider.System, ct).ConfigureAwait(false);
    }

    private static async Task<bool> AcceptedAsync(NodeDirectory nodes, NodeCredentials? stored, CancellationToken ct)
    {
        if (stored is null || stored.Cluster != Cluster || stored.Capacity != FargatePool.Fargate)
        {
            return false;
        }
        try
        {
            await nodes.AuthenticateAsync(stored.NodeId, stored.Secret, ct).ConfigureAwait(false);
            return true;
        }
        catch (Grpc.Core.RpcException)
        {
            return false;
        }
    }
}
