using System.Security.Cryptography;

namespace Gantry.Domain.Arns;

/// <summary>
/// AWS Cloud Map identities: namespace ids <c>ns-&lt;16 lowercase alnum&gt;</c>, service ids <c>srv-&lt;16&gt;</c>, operation ids
/// <c>&lt;32 lowercase alnum&gt;-&lt;8&gt;</c>, private hosted zone ids <c>Z&lt;20 upper alnum&gt;</c>, and the ARNs
/// <c>arn:aws:servicediscovery:&lt;region&gt;:&lt;account&gt;:namespace/ns-…</c> and <c>…:service/srv-…</c>.
/// </summary>
public sealed class DiscoveryArns(AwsAccount account)
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private string Prefix => $"arn:{account.Partition}:servicediscovery:{account.Region}:{account.AccountId}:";

    public static string NewNamespaceId() => "ns-" + RandomNumberGenerator.GetString(Lower, 16);

    public static string NewServiceId() => "srv-" + RandomNumberGenerator.GetString(Lower, 16);

    public static string NewOperationId() => RandomNumberGenerator.GetString(Lower, 32) + "-" + RandomNumberGenerator.GetString(Lower, 8);

    public static string NewHostedZoneId() => "Z" + RandomNumberGenerator.GetString(Upper, 20);

    public string Namespace(string id) => $"{Prefix}namespace/{id}";

    public string Service(string id) => $"{Prefix}service/{id}";

    /// <summary>The namespace id an ARN of this account and region names, or null.</summary>
    public string? NamespaceIdOf(string arn) => IdOf(arn, "namespace/");

    /// <summary>The service id an ARN of this account and region names, or null.</summary>
    public string? ServiceIdOf(string arn) => IdOf(arn, "service/");

    private string? IdOf(string arn, string resource)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var head = Prefix + resource;
        return arn.StartsWith(head, StringComparison.Ordinal) && arn.Length > head.Length && !arn[head.Length..].Contains('/', StringComparison.Ordinal)
            ? arn[head.Length..] : null;
    }
}
