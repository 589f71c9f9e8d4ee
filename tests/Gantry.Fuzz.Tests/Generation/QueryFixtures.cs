using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Gantry.Api.Front;
using Gantry.Api.Tests;
using Gantry.Domain.Elbv2;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>
/// The ELBv2 resources plausible awsQuery inputs name — a load balancer, a target group and a listener forwarding to
/// it, all "fz" — (re)created when missing; their ARNs by the member names that carry them, and a self-signed
/// certificate with its key for IAM's server certificates.
/// </summary>
public static class QueryFixtures
{
    private static readonly Lazy<(string Certificate, string Key)> SelfSigned = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fz.example", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    });

    public static async Task<IReadOnlyDictionary<string, string>> EnsureAsync(ApiTestHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!host.Services.GetRequiredService<AwsOperationTable>().TryGetQueryService(Elbv2Model.SigningName, out var elb))
        {
            throw new InvalidOperationException("The API host does not serve ELBv2.");
        }
        Task<string?> Arn(string action, string parameters, string element) => FirstAsync(host, elb, action, parameters, element);
        var balancer = await Arn("DescribeLoadBalancers", "Names.member.1=fz", "LoadBalancerArn")
            ?? await Arn("CreateLoadBalancer", "Name=fz", "LoadBalancerArn")
            ?? throw new InvalidOperationException("The fixture load balancer could not be created.");
        var group = await Arn("DescribeTargetGroups", "Names.member.1=fz", "TargetGroupArn")
            ?? await Arn("CreateTargetGroup", "Name=fz&Protocol=HTTP&Port=80&VpcId=vpc-fz&TargetType=ip", "TargetGroupArn")
            ?? throw new InvalidOperationException("The fixture target group could not be created.");
        var listener = await Arn("DescribeListeners", $"LoadBalancerArn={Uri.EscapeDataString(balancer)}", "ListenerArn")
            ?? await Arn("CreateListener", $"LoadBalancerArn={Uri.EscapeDataString(balancer)}&Protocol=HTTP&Port=80"
                + $"&DefaultActions.member.1.Type=forward&DefaultActions.member.1.TargetGroupArn={Uri.EscapeDataString(group)}", "ListenerArn")
            ?? throw new InvalidOperationException("The fixture listener could not be created.");
        var rule = await Arn("DescribeRules", $"ListenerArn={Uri.EscapeDataString(listener)}", "RuleArn")
            ?? throw new InvalidOperationException("The fixture listener has no default rule.");
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LoadBalancerArn"] = balancer,
            ["LoadBalancerArns"] = balancer,
            ["ResourceArns"] = balancer,
            ["TargetGroupArn"] = group,
            ["TargetGroupArns"] = group,
            ["ListenerArn"] = listener,
            ["ListenerArns"] = listener,
            ["RuleArn"] = rule,
            ["RuleArns"] = rule,
            ["Id"] = "10.0.0.1",
            ["CertificateBody"] = SelfSigned.Value.Certificate,
            ["PrivateKey"] = SelfSigned.Value.Key,
        };
    }

    /// <summary>The first <paramref name="element"/> of the answer to <paramref name="action"/>, or null when refused or absent.</summary>
    public static async Task<string?> FirstAsync(ApiTestHost host, AwsService service, string action, string parameters, string element)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(service);
        var body = Encoding.UTF8.GetBytes($"Action={action}&Version={service.Version}&{parameters}");
        using var request = FuzzRunner.QueryRequest(host, body, service);
        using var response = await host.Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        return XElement.Parse(await response.Content.ReadAsStringAsync()).Descendants().FirstOrDefault(e => e.Name.LocalName == element)?.Value;
    }
}
