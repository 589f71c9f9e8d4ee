using System.Globalization;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// The ElasticNetworkInterface attachment of an awsvpc task, as DescribeTasks shows it: created with the task
/// (PRECREATED, with its subnet and interface id), ATTACHED once the agent reports the task's own address and MAC.
/// Gantry's "interface" is the task's veth in its own network namespace; its id is derived from the task id.
/// </summary>
public static class TaskAttachments
{
    public const string Type = "ElasticNetworkInterface";

    /// <summary>The attachment id: the task id in UUID form (one interface per task).</summary>
    public static string AttachmentId(string taskArn) =>
        Guid.TryParseExact(EcsArns.TaskId(taskArn), "N", out var id) ? id.ToString("D") : EcsArns.TaskId(taskArn);

    public static string NetworkInterfaceId(string taskArn) => $"eni-{EcsArns.TaskId(taskArn)[..Math.Min(17, EcsArns.TaskId(taskArn).Length)]}";

    /// <summary>The private IPv4 address of an awsvpc task's interface, once its agent reported it.</summary>
    public static string? PrivateAddress(EcsTask task) =>
        (task?.Attachments ?? []).Where(a => a.Type == Type).SelectMany(a => a.Details ?? []).FirstOrDefault(d => d.Name == "privateIPv4Address")?.Value;

    /// <summary>The attachment a new awsvpc task starts with.</summary>
    public static Attachment Precreated(string taskArn, string? subnetId) => new()
    {
        Id = AttachmentId(taskArn),
        Type = Type,
        Status = "PRECREATED",
        Details = [.. Detail("subnetId", subnetId), .. Detail("networkInterfaceId", NetworkInterfaceId(taskArn))],
    };

    /// <summary>The task's attachments once its address is known: the interface ATTACHED with its address, MAC and DNS name.</summary>
    public static List<Attachment> Attached(IReadOnlyList<Attachment>? current, string address, string? macAddress, string taskArn)
    {
        var existing = current?.FirstOrDefault(a => a.Type == Type) ?? Precreated(taskArn, null);
        if (existing.Status == "ATTACHED")
        {
            return [.. current!];
        }
        var known = (existing.Details ?? []).Where(d => d.Name is "subnetId" or "networkInterfaceId");
        var attached = existing with
        {
            Status = "ATTACHED",
            Details = [.. known, .. Detail("macAddress", macAddress), .. Detail("privateDnsName", PrivateDnsName(address, taskArn)),
                .. Detail("privateIPv4Address", address)],
        };
        return [.. (current ?? []).Where(a => a.Type != Type), attached];
    }

    /// <summary>EC2's private DNS name for an address: ip-10-0-1-114.ec2.internal in us-east-1, ip-….&lt;region&gt;.compute.internal elsewhere.</summary>
    public static string PrivateDnsName(string address, string taskArn)
    {
        var region = EcsArn.TryParse(taskArn, out var arn) ? arn.Region : "us-east-1";
        var host = $"ip-{address.Replace('.', '-')}";
        return region == "us-east-1" ? $"{host}.ec2.internal" : string.Create(CultureInfo.InvariantCulture, $"{host}.{region}.compute.internal");
    }

    private static IEnumerable<Domain.Ecs.KeyValuePair> Detail(string name, string? value) =>
        string.IsNullOrEmpty(value) ? [] : [new Domain.Ecs.KeyValuePair { Name = name, Value = value }];
}
