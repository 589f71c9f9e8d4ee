using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gantry.Agent.Protocol;
using Gantry.Api.Front;
using Gantry.Auth.SigV4;
using Gantry.Domain.Errors;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Tests.Agents;

/// <summary>
/// Issue 12 item 1: neither a registry token nor node A's credentials act as node B — no registering as B's instance or
/// into B's cluster, no reporting B's tasks, no writing B's tasks' log streams, no receiving B's RunTask — and node
/// credentials are not AWS credentials anywhere else.
/// </summary>
public sealed class ImpersonationTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    internal const string Definition = """
        {"family":"victim","containerDefinitions":[{"name":"app","image":"busybox","memory":16,"essential":true,
          "environment":[{"name":"DB_PASSWORD","value":"hunter2"}],
          "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/victim","awslogs-stream-prefix":"ecs","awslogs-create-group":"true"}}}]}
        """;

    private async Task<string> ClusterAsync()
    {
        var name = $"imp-{Guid.NewGuid():N}"[..20];
        Assert.Equal(200, (await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{name}}"}""")).Status);
        return name;
    }

    private async Task<string> StartOnAsync(string cluster, string instanceArn)
    {
        var (status, started) = await host.CallAsync("StartTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"victim","containerInstances":["{{instanceArn}}"]}""");
        Assert.Equal(200, status);
        Assert.True(started.GetProperty("tasks").GetArrayLength() == 1, started.ToString());
        return started.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
    }

    internal static async Task<RunTask> NextRunTaskAsync(AsyncDuplexStreamingCall<AgentMessage, ControlMessage> call)
    {
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            if (call.ResponseStream.Current.BodyCase == ControlMessage.BodyOneofCase.RunTask)
            {
                return call.ResponseStream.Current.RunTask;
            }
        }
        throw new InvalidOperationException("the stream ended without a RunTask");
    }

    /// <summary>
    /// The RunTask for <paramref name="taskArn"/>; RunTasks of <paramref name="earlier"/> tasks are skipped, since
    /// the reconcile at registration may race a StartTask and hand the same task twice (agents run a task once).
    /// </summary>
    private static async Task<RunTask> RunTaskForAsync(AsyncDuplexStreamingCall<AgentMessage, ControlMessage> call, string taskArn, params string[] earlier)
    {
        while (true)
        {
            var run = await NextRunTaskAsync(call);
            if (run.TaskArn == taskArn)
            {
                return run;
            }
            Assert.Contains(run.TaskArn, earlier);
        }
    }

    private async Task<string?> LastStatusAsync(string cluster, string taskArn)
    {
        var (_, described) = await host.CallAsync("DescribeTasks", $$"""{"cluster":"{{cluster}}","tasks":["{{taskArn}}"]}""");
        return described.GetProperty("tasks")[0].GetProperty("lastStatus").GetString();
    }

    internal static LogStreamRef StreamOf(string taskArn) => new()
    {
        Group = "/victim",
        Stream = $"ecs/app/{taskArn[(taskArn.LastIndexOf('/') + 1)..]}",
        CreateGroup = true,
        TaskArn = taskArn,
        ContainerName = "app",
    };

    private static async Task<StatusCode> RefusalAsync(Func<Task> call) => (await Assert.ThrowsAsync<RpcException>(call)).StatusCode;

    [Fact]
    public async Task Neither_a_registry_token_nor_node_A_credentials_act_as_node_B()
    {
        var cluster = await ClusterAsync();
        var otherCluster = await ClusterAsync();
        Assert.Equal(200, (await host.CallAsync("RegisterTaskDefinition", Definition)).Status);
        using var b = await TestNode.JoinAsync(host, cluster, "i-bbbbbbbbbbbbbbbb0");
        using var a = await TestNode.JoinAsync(host, cluster, "i-aaaaaaaaaaaaaaaa0");
        var (bCall, bArn) = await b.RegisterAsync();
        using var bStream = bCall;
        var first = await StartOnAsync(cluster, bArn);
        await RunTaskForAsync(bCall, first);
        var before = await LastStatusAsync(cluster, first);

        // B itself may open its task's stream (the control for the refusals below).
        Assert.Equal(0, (await b.Client.OpenLogStreamAsync(StreamOf(first), b.Headers)).Position);

        // A registry token (the old agent credential) opens nothing on the agent port.
        var registry = new Metadata { { "authorization", $"Bearer {host.Registry.Tokens.Issue(host.Key.AccessKeyId, host.Key.UserName).Password}" } };
        using (var tokenCall = a.Client.Connect(registry))
        {
            Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(() =>
                SendThenReadAsync(tokenCall, new AgentMessage { Register = new Register { Cluster = cluster, InstanceId = b.InstanceId } })));
        }
        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(() => a.Client.OpenLogStreamAsync(StreamOf(first), registry).ResponseAsync));
        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(() => a.Client.ShipLogsAsync(new LogBatch { Stream = StreamOf(first) }, registry).ResponseAsync));

        // A cannot join again as B's instance, nor register as B's instance or into another cluster.
        var token = await TestNode.TokenAsync(host, cluster);
        var reJoin = await Assert.ThrowsAsync<RpcException>(() => a.Client.JoinAsync(new JoinRequest { JoinToken = token, InstanceId = b.InstanceId }).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, reJoin.StatusCode);
        foreach (var (asCluster, asInstance) in new[] { (cluster, b.InstanceId), (otherCluster, a.InstanceId), (otherCluster, b.InstanceId) })
        {
            using var call = a.Connect();
            Assert.Equal(StatusCode.PermissionDenied, await RefusalAsync(async () =>
            {
                await call.RequestStream.WriteAsync(new AgentMessage { Register = new Register { Cluster = asCluster, InstanceId = asInstance, CpuUnits = 1024, MemoryMib = 1024 } });
                await call.ResponseStream.MoveNext(CancellationToken.None);
            }));
        }

        // A cannot write B's task's log stream, even naming it exactly.
        Assert.Equal(StatusCode.PermissionDenied, await RefusalAsync(() => a.Client.OpenLogStreamAsync(StreamOf(first), a.Headers).ResponseAsync));
        var batch = new LogBatch { Stream = StreamOf(first), Events = { new LogEvent { TimestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Message = "forged", Position = 1 } } };
        Assert.Equal(StatusCode.PermissionDenied, await RefusalAsync(() => a.Client.ShipLogsAsync(batch, a.Headers).ResponseAsync));
        Assert.Equal(StatusCode.PermissionDenied, await RefusalAsync(() => a.Client.ShipLogsAsync(new LogBatch { Stream = new LogStreamRef { Group = "/victim", Stream = "any" } }, a.Headers).ResponseAsync));
        var (_, events) = await host.CallAsync("GetLogEvents", $$"""{"logGroupName":"/victim","logStreamName":"{{StreamOf(first).Stream}}"}""", target: "Logs_20140328");
        Assert.Empty(events.GetProperty("events").EnumerateArray());

        // A registers as itself, claims B's task at registration and reports it stopped: nothing changes, and B's
        // next task (with its environment) goes to B only.
        var (aCall, _) = await a.RegisterAsync(new TaskState { TaskArn = first, LastStatus = "RUNNING" });
        using (aCall)
        {
            await aCall.RequestStream.WriteAsync(new AgentMessage { TaskState = new TaskState { TaskArn = first, LastStatus = "STOPPED", StoppedReason = "forged" } });
            var second = await StartOnAsync(cluster, bArn);
            await RunTaskForAsync(bCall, second, first);
            await aCall.RequestStream.CompleteAsync();
            var toA = new List<ControlMessage>();
            while (await aCall.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
            {
                toA.Add(aCall.ResponseStream.Current);
            }
            Assert.DoesNotContain(toA, m => m.BodyCase == ControlMessage.BodyOneofCase.RunTask);
        }
        Assert.Equal(before, await LastStatusAsync(cluster, first));
    }

    [Fact]
    public async Task RunTask_carries_registry_credentials_minted_for_the_task()
    {
        var cluster = await ClusterAsync();
        Assert.Equal(200, (await host.CallAsync("RegisterTaskDefinition", Definition)).Status);
        using var node = await TestNode.JoinAsync(host, cluster, "i-pull");
        var (call, arn) = await node.RegisterAsync();
        using var stream = call;
        await StartOnAsync(cluster, arn);

        var run = await NextRunTaskAsync(call);

        Assert.Equal("AWS", run.RegistryUser);
        Assert.NotNull(await host.Registry.Tokens.ValidateAsync(run.RegistryUser, run.RegistryPassword, CancellationToken.None));
    }

    [Fact]
    public async Task RunTask_carries_the_launch_type_and_the_cluster_arn()
    {
        var cluster = await ClusterAsync();
        Assert.Equal(200, (await host.CallAsync("RegisterTaskDefinition", Definition)).Status);
        using var node = await TestNode.JoinAsync(host, cluster, "i-launch");
        var (call, arn) = await node.RegisterAsync();
        using var stream = call;
        await StartOnAsync(cluster, arn);

        var run = await NextRunTaskAsync(call);

        Assert.Equal("EC2", run.LaunchType);
        Assert.Equal($"arn:aws:ecs:us-east-1:000000000000:cluster/{cluster}", run.Cluster);
    }

    [Fact]
    public async Task A_revoked_node_is_refused_and_its_open_stream_is_closed()
    {
        var cluster = await ClusterAsync();
        using var node = await TestNode.JoinAsync(host, cluster, "i-revoke");
        var (call, _) = await node.RegisterAsync();
        using var stream = call;

        Assert.Equal(200, (await host.CallAsync("RevokeNode", $$"""{"nodeId":"{{node.NodeId}}"}""", target: TestNode.Admin)).Status);

        var closed = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
            {
            }
        });
        Assert.Equal(StatusCode.PermissionDenied, closed.StatusCode);
        Assert.Contains("revoked", closed.Status.Detail, StringComparison.Ordinal);
        using var again = node.Connect();
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            SendThenReadAsync(again, new AgentMessage { Register = new Register { Cluster = cluster, InstanceId = node.InstanceId } }));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var (_, listed) = await host.CallAsync("ListNodes", $$"""{"cluster":"{{cluster}}"}""", target: TestNode.Admin);
        Assert.Equal("REVOKED", listed.GetProperty("nodes")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Node_credentials_are_neither_SigV4_keys_nor_registry_passwords()
    {
        using var node = await TestNode.JoinAsync(host, await ClusterAsync(), "i-creds");

        // The JSON API: as a raw authorization header, and as an access key id/secret signing a request.
        var verifier = new SigV4Authenticator(new SigV4Verifier(host.Registry.Keys.FindSecretAsync, "us-east-1", SigV4Authenticator.SignedWhenPresent, TimeProvider.System));
        var raw = new DefaultHttpContext();
        raw.Request.Method = "POST";
        raw.Request.Path = "/";
        raw.Request.Headers.Host = host.Endpoint.Authority;
        raw.Request.Headers.Authorization = $"GantryNode {node.NodeId}.{node.Secret}";
        await Assert.ThrowsAsync<AwsException>(async () => await verifier.BeginAsync(raw.Request, "ecs", CancellationToken.None));
        var body = "{}"u8.ToArray();
        using var message = new HttpRequestMessage(HttpMethod.Post, host.Endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        message.Headers.Add("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters");
        new SigV4Signer(node.NodeId, node.Secret, "us-east-1", "ecs", TimeProvider.System).Sign(message, body);
        var signed = new DefaultHttpContext();
        signed.Request.Method = "POST";
        signed.Request.Path = "/";
        foreach (var header in message.Headers.Concat(message.Content.Headers))
        {
            signed.Request.Headers[header.Key] = string.Join(",", header.Value);
        }
        signed.Request.Headers.Host = host.Endpoint.Authority;
        var refused = await Assert.ThrowsAsync<AwsException>(async () =>
        {
            using var authentication = await verifier.BeginAsync(signed.Request, "ecs", CancellationToken.None);
            authentication.Append(body);
            authentication.Complete();
        });
        Assert.Equal("UnrecognizedClientException", refused.Type);

        // The registry: as a password (with either user), and as the raw header.
        foreach (var authorization in new[]
        {
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{node.NodeId}.{node.Secret}"))),
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{node.NodeId}:{node.Secret}"))),
            new AuthenticationHeaderValue("GantryNode", $"{node.NodeId}.{node.Secret}"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Endpoint, "/v2/"));
            request.Headers.Authorization = authorization;
            using var response = await host.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    /// <summary>Sends a message on a stream the server may refuse, then reads. The server may end the call before the
    /// write goes out (the write then fails as cancelled); the call's own status comes with the response.</summary>
    private static async Task SendThenReadAsync(AsyncDuplexStreamingCall<AgentMessage, ControlMessage> call, AgentMessage message)
    {
        try
        {
            await call.RequestStream.WriteAsync(message);
        }
        catch (RpcException)
        {
        }
        await call.ResponseStream.MoveNext(CancellationToken.None);
    }
}
