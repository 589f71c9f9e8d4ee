using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Json;
using Gantry.Store;

namespace Gantry.Api.Tests.Elbv2;

/// <summary>
/// What listener and rule tests stand on: load balancers made through the CLI, and target groups stored as the target
/// group API stores them (that API is another part's; these tests only need groups to forward to).
/// </summary>
public sealed class LoadBalancerFixtures(SignedApiTestHost host, LoadBalancerTestCli aws)
{
    public Documents Documents { get; } = new(host.Store, AwsJson.Options);

    public async Task<string> BalancerAsync(string name, string type = "application") =>
        (await aws.OkAsync("elbv2", "create-load-balancer", "--name", name, "--type", type)).GetProperty("LoadBalancers")[0]
            .GetProperty("LoadBalancerArn").GetString()!;

    public async Task<string> TargetGroupAsync(string name, string protocol = "HTTP", int port = 80)
    {
        var arn = new ElbArns(AwsAccount.Default).TargetGroup(name, ElbArns.NewId());
        var group = new TargetGroup { TargetGroupArn = arn, TargetGroupName = name, Protocol = protocol, Port = port, TargetType = "ip", LoadBalancerArns = [] };
        await host.Store.CommitAsync([Documents.Put(ElbKinds.TargetGroup, name, new TargetGroupRecord(group, [], [], []), WriteOp.MustNotExist)], default);
        return arn;
    }

    public async Task<string> ListenerAsync(string balancerArn, int port, string defaultActions, string protocol = "HTTP") =>
        (await aws.OkAsync("elbv2", "create-listener", "--load-balancer-arn", balancerArn, "--protocol", protocol, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--default-actions", defaultActions)).GetProperty("Listeners")[0].GetProperty("ListenerArn").GetString()!;
}
