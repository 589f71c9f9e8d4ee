using System.Text.Json;
using Gantry.Api.Tests.Elbv2;

namespace Gantry.Api.Tests.ServiceDiscovery;

/// <summary>
/// The real AWS CLI v2 driving <c>aws servicediscovery</c> against a <see cref="SignedApiTestHost"/>, and the resources most
/// tests stand on. The CLI sends DiscoverInstances to <c>data-</c> + the endpoint's host (the model's host prefix), which
/// no resolver knows for 127.0.0.1; so every call goes through the server itself as HTTP proxy, which answers the
/// absolute-form request as any other.
/// </summary>
public sealed class CloudMapCli : IDisposable
{
    private readonly LoadBalancerTestCli _aws;

    public CloudMapCli(SignedApiTestHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _aws = new LoadBalancerTestCli(host);
        _aws.Environment["HTTP_PROXY"] = host.Endpoint.ToString().TrimEnd('/');
        _aws.Environment["NO_PROXY"] = "";
    }

    public void Dispose() => _aws.Dispose();

    public Task<JsonElement> OkAsync(params string[] args) => _aws.OkAsync(["servicediscovery", .. args]);

    public Task<string> FailsAsync(string code, params string[] args) => _aws.FailsAsync(code, ["servicediscovery", .. args]);

    /// <summary>The namespace an operation created (asserting the operation succeeded).</summary>
    public async Task<string> NamespaceOfAsync(JsonElement created)
    {
        var operation = (await OkAsync("get-operation", "--operation-id", created.GetProperty("OperationId").GetString()!)).GetProperty("Operation");
        Assert.Equal("SUCCESS", operation.GetProperty("Status").GetString());
        return operation.GetProperty("Targets").GetProperty("NAMESPACE").GetString()!;
    }

    public async Task<string> PrivateNamespaceAsync(string name) =>
        await NamespaceOfAsync(await OkAsync("create-private-dns-namespace", "--name", name, "--vpc", await DefaultVpcAsync()));

    /// <summary>The default VPC's id (EC2 makes it on first use), which a private DNS namespace can be in.</summary>
    public async Task<string> DefaultVpcAsync() =>
        (await _aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true")).GetProperty("Vpcs")[0].GetProperty("VpcId").GetString()!;

    public async Task<string> HttpNamespaceAsync(string name) => await NamespaceOfAsync(await OkAsync("create-http-namespace", "--name", name));

    public async Task<string> ServiceAsync(string namespaceId, string name, params string[] options) =>
        (await OkAsync(["create-service", "--name", name, "--namespace-id", namespaceId, .. options])).GetProperty("Service").GetProperty("Id").GetString()!;

    public Task<JsonElement> RegisterAsync(string serviceId, string instanceId, string attributes) =>
        OkAsync("register-instance", "--service-id", serviceId, "--instance-id", instanceId, "--attributes", attributes);

    /// <summary>The instance ids DiscoverInstances answers, in order.</summary>
    public async Task<string[]> DiscoverAsync(string namespaceName, string serviceName, params string[] options) =>
        (await OkAsync(["discover-instances", "--namespace-name", namespaceName, "--service-name", serviceName, .. options])).GetProperty("Instances")
            .EnumerateArray().Select(i => i.GetProperty("InstanceId").GetString()!).ToArray();
}
