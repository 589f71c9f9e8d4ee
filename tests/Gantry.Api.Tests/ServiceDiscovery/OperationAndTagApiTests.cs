namespace Gantry.Api.Tests.ServiceDiscovery;

/// <summary>ListOperations with its filters and paging, and tags on namespaces and services, through the AWS CLI.</summary>
public sealed class OperationAndTagApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly CloudMapCli _sd = new(host);

    public void Dispose() => _sd.Dispose();

    [Fact]
    public async Task Operations_are_listed_by_service_type_status_and_update_date()
    {
        var ns = await _sd.HttpNamespaceAsync("ops-http");
        var service = await _sd.ServiceAsync(ns, "worker");
        var register = (await _sd.RegisterAsync(service, "w1", "k=v")).GetProperty("OperationId").GetString()!;
        var deregister = (await _sd.OkAsync("deregister-instance", "--service-id", service, "--instance-id", "w1")).GetProperty("OperationId").GetString()!;

        string[] Ids(System.Text.Json.JsonElement answer) =>
            answer.GetProperty("Operations").EnumerateArray().Select(o => o.GetProperty("Id").GetString()!).Order().ToArray();
        Assert.Equal(new[] { register, deregister }.Order(), Ids(await _sd.OkAsync("list-operations", "--filters", $"Name=SERVICE_ID,Values={service}")));
        Assert.Equal([register], Ids(await _sd.OkAsync("list-operations", "--filters", $"Name=SERVICE_ID,Values={service}",
            "Name=TYPE,Condition=IN,Values=REGISTER_INSTANCE,CREATE_NAMESPACE")));
        Assert.Equal(3, Ids(await _sd.OkAsync("list-operations", "--filters", $"Name=NAMESPACE_ID,Values={ns}", "Name=STATUS,Values=SUCCESS")).Length);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Contains(register, Ids(await _sd.OkAsync("list-operations", "--filters",
            $"Name=UPDATE_DATE,Condition=BETWEEN,Values={now - 600},{now + 600}")));
        Assert.Empty(Ids(await _sd.OkAsync("list-operations", "--filters", $"Name=UPDATE_DATE,Condition=BETWEEN,Values={now - 7200},{now - 3600}")));
        Assert.Contains("BETWEEN", await _sd.FailsAsync("InvalidInput", "list-operations", "--filters", "Name=UPDATE_DATE,Condition=EQ,Values=1"),
            StringComparison.Ordinal);

        var page = await _sd.OkAsync("list-operations", "--max-results", "1", "--no-paginate");
        Assert.Single(page.GetProperty("Operations").EnumerateArray());
        var next = await _sd.OkAsync("list-operations", "--max-results", "1", "--no-paginate", "--next-token", page.GetProperty("NextToken").GetString()!);
        Assert.NotEqual(Ids(page), Ids(next));
    }

    [Fact]
    public async Task Tags_are_added_replaced_removed_and_limited_on_namespaces_and_services()
    {
        var ns = await _sd.HttpNamespaceAsync("tags-http");
        var nsArn = (await _sd.OkAsync("get-namespace", "--id", ns)).GetProperty("Namespace").GetProperty("Arn").GetString()!;
        var created = (await _sd.OkAsync("create-service", "--name", "tagged", "--namespace-id", ns, "--tags", "Key=team,Value=web")).GetProperty("Service");
        var serviceArn = created.GetProperty("Arn").GetString()!;

        foreach (var arn in new[] { nsArn, serviceArn })
        {
            await _sd.OkAsync("tag-resource", "--resource-arn", arn, "--tags", "Key=env,Value=dev", "Key=team,Value=api");
            await _sd.OkAsync("tag-resource", "--resource-arn", arn, "--tags", "Key=env,Value=prod");
            await _sd.OkAsync("untag-resource", "--resource-arn", arn, "--tag-keys", "team");
            var tags = (await _sd.OkAsync("list-tags-for-resource", "--resource-arn", arn)).GetProperty("Tags").EnumerateArray()
                .Select(t => (t.GetProperty("Key").GetString(), t.GetProperty("Value").GetString())).ToArray();
            Assert.Equal([("env", "prod")], tags);
        }

        var fifty = Enumerable.Range(0, 50).Select(i => $"Key=k{i},Value=v").ToArray();
        await _sd.FailsAsync("TooManyTagsException", ["tag-resource", "--resource-arn", nsArn, "--tags", .. fifty]);
        var gone = serviceArn[..^16] + "0000000000000000";
        await _sd.FailsAsync("ResourceNotFoundException", "list-tags-for-resource", "--resource-arn", gone);
        await _sd.FailsAsync("ResourceNotFoundException", "tag-resource", "--resource-arn", "arn:aws:ecs:us-east-1:000000000000:cluster/x", "--tags", "Key=a,Value=b");
    }
}
