using Gantry.Agent.Protocol;
using Gantry.ControlPlane.State;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gantry.Api.Tests.Agents;

/// <summary>Join tokens through the node admin API and the agent port's Join: valid, expired, revoked and wrong tokens.</summary>
public sealed class JoinTests(ApiTestHost host) : IClassFixture<ApiTestHost>, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(host.AgentEndpoint);

    private AgentControl.AgentControlClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    private async Task<string> ClusterAsync()
    {
        var name = $"join-{Guid.NewGuid():N}"[..20];
        Assert.Equal(200, (await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{name}}"}""")).Status);
        return name;
    }

    private async Task<RpcException> RefusedAsync(string token, string instanceId) =>
        await Assert.ThrowsAsync<RpcException>(() => Client.JoinAsync(new JoinRequest { JoinToken = token, InstanceId = instanceId }).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30)));

    [Fact]
    public async Task A_valid_token_joins_a_node_into_its_cluster_and_only_hashes_of_the_secrets_are_stored()
    {
        var cluster = await ClusterAsync();
        var token = await TestNode.TokenAsync(host, cluster);
        Assert.Matches(@"^gntj_[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$", token);

        var joined = await Client.JoinAsync(new JoinRequest { JoinToken = token, InstanceId = "i-valid" });

        Assert.Equal(cluster, joined.Cluster);
        Assert.StartsWith("node-", joined.NodeId, StringComparison.Ordinal);
        Assert.True(joined.NodeSecret.Length >= 43, "the node secret carries at least 256 bits");
        var tokenSecret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var storedToken = await host.Store.GetAsync(Kinds.JoinToken, token[5..token.IndexOf('.', StringComparison.Ordinal)], CancellationToken.None);
        var storedNode = await host.Store.GetAsync(Kinds.Node, joined.NodeId, CancellationToken.None);
        Assert.DoesNotContain(tokenSecret, storedToken!.Body, StringComparison.Ordinal);
        Assert.Contains(Sha256(tokenSecret), storedToken.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(joined.NodeSecret, storedNode!.Body, StringComparison.Ordinal);
        Assert.Contains(Sha256(joined.NodeSecret), storedNode.Body, StringComparison.Ordinal);

        var (_, listed) = await host.CallAsync("ListNodes", $$"""{"cluster":"{{cluster}}"}""", target: TestNode.Admin);
        var node = Assert.Single(listed.GetProperty("nodes").EnumerateArray());
        Assert.Equal("i-valid", node.GetProperty("instanceId").GetString());
        Assert.Equal("ACTIVE", node.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var token = await TestNode.TokenAsync(host, await ClusterAsync(), ttlSeconds: 1);
        RpcException? refused = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await Client.JoinAsync(new JoinRequest { JoinToken = token, InstanceId = $"i-{Guid.NewGuid():N}" }).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30));
                return false; // not expired yet
            }
            catch (RpcException e)
            {
                refused = e;
                return true;
            }
        });
        Assert.Equal(StatusCode.PermissionDenied, refused!.StatusCode);
        Assert.Contains("expired", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_and_listed_as_revoked()
    {
        var token = await TestNode.TokenAsync(host, await ClusterAsync());
        var id = token[5..token.IndexOf('.', StringComparison.Ordinal)];
        Assert.Equal(200, (await host.CallAsync("RevokeJoinToken", $$"""{"tokenId":"{{id}}"}""", target: TestNode.Admin)).Status);

        var refused = await RefusedAsync(token, "i-revoked");

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("revoked", refused.Status.Detail, StringComparison.Ordinal);
        var (_, listed) = await host.CallAsync("ListJoinTokens", "{}", target: TestNode.Admin);
        Assert.Equal("REVOKED", listed.GetProperty("joinTokens").EnumerateArray().Single(t => t.GetProperty("tokenId").GetString() == id).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("unknown-id")]
    [InlineData("not-a-token")]
    [InlineData("registry-token")]
    public async Task A_wrong_token_is_refused(string kind)
    {
        var token = await TestNode.TokenAsync(host, await ClusterAsync());
        var presented = kind switch
        {
            "wrong-secret" => token[..(token.IndexOf('.', StringComparison.Ordinal) + 1)] + new string('A', 43),
            "unknown-id" => "gntj_000000000000" + token[token.IndexOf('.', StringComparison.Ordinal)..],
            "not-a-token" => "hello",
            _ => host.Registry.Tokens.Issue(host.Key.AccessKeyId, host.Key.UserName).Password,
        };

        var refused = await RefusedAsync(presented, "i-wrong");

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.DoesNotContain(await host.Store.ListAsync(Kinds.NodeInstance, null, null, 1000, CancellationToken.None), o => o.Key.EndsWith("/i-wrong", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_for_a_missing_cluster_is_not_issued()
    {
        var (status, body) = await host.CallAsync("CreateJoinToken", """{"cluster":"no-such-cluster"}""", target: TestNode.Admin);
        Assert.Equal(400, status);
        Assert.Equal("ClusterNotFoundException", body.GetProperty("__type").GetString());
        var (badTtl, ttlBody) = await host.CallAsync("CreateJoinToken", """{"cluster":"x","ttlSeconds":9223372036854775807}""", target: TestNode.Admin);
        Assert.Equal(400, badTtl);
        Assert.Equal("InvalidParameterException", ttlBody.GetProperty("__type").GetString());
    }

    private static string Sha256(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
