using System.Text.RegularExpressions;

namespace Gantry.Api.Tests.ServiceDiscovery;

/// <summary>CreatePrivateDnsNamespace, CreateHttpNamespace, GetNamespace, ListNamespaces, UpdateHttpNamespace and DeleteNamespace through the AWS CLI.</summary>
public sealed partial class NamespaceApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly CloudMapCli _sd = new(host);

    public void Dispose() => _sd.Dispose();

    [Fact]
    public async Task A_private_DNS_namespace_is_created_by_a_successful_operation_and_read_back_as_a_zone()
    {
        var created = await _sd.OkAsync("create-private-dns-namespace", "--name", "Corp.Example.", "--vpc", await _sd.DefaultVpcAsync(), "--description", "internal");
        Assert.Matches(OperationId(), created.GetProperty("OperationId").GetString());
        var id = await _sd.NamespaceOfAsync(created);
        Assert.Matches("^ns-[a-z0-9]{16}$", id);

        var ns = (await _sd.OkAsync("get-namespace", "--id", id)).GetProperty("Namespace");
        Assert.Equal(("corp.example", "DNS_PRIVATE", "internal", 0), (ns.GetProperty("Name").GetString(), ns.GetProperty("Type").GetString(),
            ns.GetProperty("Description").GetString(), ns.GetProperty("ServiceCount").GetInt32()));
        Assert.Equal($"arn:aws:servicediscovery:us-east-1:000000000000:namespace/{id}", ns.GetProperty("Arn").GetString());
        var dns = ns.GetProperty("Properties").GetProperty("DnsProperties");
        Assert.Matches("^Z[A-Z0-9]{20}$", dns.GetProperty("HostedZoneId").GetString());
        Assert.Equal(15, dns.GetProperty("SOA").GetProperty("TTL").GetInt64());
        Assert.Equal("corp.example", ns.GetProperty("Properties").GetProperty("HttpProperties").GetProperty("HttpName").GetString());

        var operation = (await _sd.OkAsync("get-operation", "--operation-id", created.GetProperty("OperationId").GetString()!)).GetProperty("Operation");
        Assert.Equal("CREATE_NAMESPACE", operation.GetProperty("Type").GetString());

        await _sd.OkAsync("update-private-dns-namespace", "--id", id, "--namespace", "Description=changed,Properties={DnsProperties={SOA={TTL=60}}}");
        ns = (await _sd.OkAsync("get-namespace", "--id", id)).GetProperty("Namespace");
        Assert.Equal(("changed", 60), (ns.GetProperty("Description").GetString(), ns.GetProperty("Properties").GetProperty("DnsProperties").GetProperty("SOA").GetProperty("TTL").GetInt32()));
    }

    [Fact]
    public async Task Namespaces_are_listed_by_filter_a_page_at_a_time_and_deleted()
    {
        var http = await _sd.HttpNamespaceAsync("list-http-a");
        await _sd.HttpNamespaceAsync("list-http-b");
        await _sd.PrivateNamespaceAsync("list.private");
        var httpOnly = (await _sd.OkAsync("list-namespaces", "--filters", "Name=NAME,Values=list-,Condition=BEGINS_WITH", "Name=TYPE,Values=HTTP"))
            .GetProperty("Namespaces").EnumerateArray().Select(n => n.GetProperty("Name").GetString()!).Order().ToArray();
        Assert.Equal(["list-http-a", "list-http-b"], httpOnly);

        var page = await _sd.OkAsync("list-namespaces", "--max-results", "1", "--no-paginate");
        Assert.Single(page.GetProperty("Namespaces").EnumerateArray());
        Assert.True(page.TryGetProperty("NextToken", out _));

        await _sd.OkAsync("update-http-namespace", "--id", http, "--namespace", "Description=updated");
        Assert.Equal("updated", (await _sd.OkAsync("get-namespace", "--id", http)).GetProperty("Namespace").GetProperty("Description").GetString());

        var deleted = await _sd.OkAsync("delete-namespace", "--id", http);
        var operation = (await _sd.OkAsync("get-operation", "--operation-id", deleted.GetProperty("OperationId").GetString()!)).GetProperty("Operation");
        Assert.Equal(("DELETE_NAMESPACE", "SUCCESS"), (operation.GetProperty("Type").GetString(), operation.GetProperty("Status").GetString()));
        Assert.Equal("Namespace not found", await _sd.FailsAsync("NamespaceNotFound", "get-namespace", "--id", http));
        await _sd.HttpNamespaceAsync("list-http-a"); // the name is free again
    }

    [Fact]
    public async Task An_update_retried_with_its_UpdaterRequestId_answers_the_first_operation_and_changes_nothing_again()
    {
        var id = await _sd.HttpNamespaceAsync("retried-update");
        var first = (await _sd.OkAsync("update-http-namespace", "--id", id, "--updater-request-id", "retry-1", "--namespace", "Description=first"))
            .GetProperty("OperationId").GetString();
        await _sd.OkAsync("update-http-namespace", "--id", id, "--namespace", "Description=between");
        var again = (await _sd.OkAsync("update-http-namespace", "--id", id, "--updater-request-id", "retry-1", "--namespace", "Description=first"))
            .GetProperty("OperationId").GetString();

        Assert.Equal(first, again);
        Assert.Equal("between", (await _sd.OkAsync("get-namespace", "--id", id)).GetProperty("Namespace").GetProperty("Description").GetString());
        var other = (await _sd.OkAsync("update-http-namespace", "--id", id, "--updater-request-id", "retry-2", "--namespace", "Description=second"))
            .GetProperty("OperationId").GetString();
        Assert.NotEqual(first, other);
        Assert.Matches(OperationId(), other);
        Assert.Equal("second", (await _sd.OkAsync("get-namespace", "--id", id)).GetProperty("Namespace").GetProperty("Description").GetString());
    }

    [Fact]
    public async Task A_taken_name_a_public_namespace_and_bad_input_are_refused()
    {
        var id = await _sd.HttpNamespaceAsync("taken");
        Assert.Contains(id, await _sd.FailsAsync("NamespaceAlreadyExists", "create-http-namespace", "--name", "taken"), StringComparison.Ordinal);
        Assert.Contains("not supported by Gantry", await _sd.FailsAsync("InvalidInput", "create-public-dns-namespace", "--name", "example.com"),
            StringComparison.Ordinal);
        Assert.Equal("Vpc is required.", await _sd.FailsAsync("InvalidInput", "create-private-dns-namespace", "--name", "no.vpc", "--vpc", ""));
        Assert.Equal("Vpc 'vpc-0000000000000dead' does not exist: give the id of a VPC (aws ec2 describe-vpcs).",
            await _sd.FailsAsync("InvalidInput", "create-private-dns-namespace", "--name", "unknown.vpc", "--vpc", "vpc-0000000000000dead"));
        Assert.Equal(0, (await _sd.OkAsync("list-namespaces", "--filters", "Name=NAME,Values=unknown.vpc")).GetProperty("Namespaces").GetArrayLength());
        Assert.Contains("Name", await _sd.FailsAsync("InvalidInput", "create-http-namespace", "--name", "has space"), StringComparison.Ordinal);
        Assert.Contains("not DNS_PRIVATE", await _sd.FailsAsync("InvalidInput", "update-private-dns-namespace", "--id", id, "--namespace", "Description=x"),
            StringComparison.Ordinal);
        await _sd.FailsAsync("NamespaceNotFound", "delete-namespace", "--id", "ns-0000000000000000");
        await _sd.FailsAsync("OperationNotFound", "get-operation", "--operation-id", "nope");
    }

    [Fact]
    public async Task A_create_retried_with_its_creator_request_id_answers_the_same_operation()
    {
        var first = await _sd.OkAsync("create-http-namespace", "--name", "retried", "--creator-request-id", "req-1");
        var again = await _sd.OkAsync("create-http-namespace", "--name", "retried", "--creator-request-id", "req-1");
        Assert.Equal(first.GetProperty("OperationId").GetString(), again.GetProperty("OperationId").GetString());
        Assert.Contains(first.GetProperty("OperationId").GetString()!, await _sd.FailsAsync("DuplicateRequest", "create-http-namespace", "--name", "other-name",
            "--creator-request-id", "req-1"), StringComparison.Ordinal);
    }

    [GeneratedRegex("^[a-z0-9]{32}-[a-z0-9]{8}$")]
    private static partial Regex OperationId();
}
