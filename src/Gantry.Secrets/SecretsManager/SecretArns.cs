using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Gantry.Domain.Arns;

namespace Gantry.Secrets.SecretsManager;

/// <summary>
/// Secret names and ARNs: <c>arn:&lt;partition&gt;:secretsmanager:&lt;region&gt;:&lt;account&gt;:secret:&lt;name&gt;-&lt;6 random
/// alphanumerics&gt;</c>. A SecretId is a name, a full ARN or a partial ARN (without the random suffix).
/// </summary>
public sealed partial class SecretArns(AwsAccount account)
{
    public const int MaxNameLength = 512;
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public AwsAccount Account => account;

    private string Prefix => $"arn:{account.Partition}:secretsmanager:{account.Region}:{account.AccountId}:secret:";

    public string NewArn(string name) => Prefix + name + "-" + RandomNumberGenerator.GetString(SuffixAlphabet, 6);

    /// <summary>Refuses a name Secrets Manager would not take.</summary>
    public static void CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !NamePattern().IsMatch(name))
        {
            throw SecretErrors.Invalid("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        }
    }

    /// <summary>
    /// The names a SecretId may stand for, most specific first, with the ARN that must match (null: any): a full ARN's
    /// name without its suffix, then a partial ARN's whole name; a plain name as itself. Empty for an ARN of another
    /// service, region or account.
    /// </summary>
    public IReadOnlyList<(string Name, string? Arn)> Candidates(string secretId)
    {
        ArgumentNullException.ThrowIfNull(secretId);
        if (!secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return [(secretId, null)];
        }
        if (!secretId.StartsWith(Prefix, StringComparison.Ordinal) || secretId.Length == Prefix.Length)
        {
            return [];
        }
        var rest = secretId[Prefix.Length..];
        var full = FullArnName().Match(rest);
        return full.Success ? [(full.Groups[1].Value, secretId), (rest, null)] : [(rest, null)];
    }

    [GeneratedRegex(@"^[A-Za-z0-9/_+=.@\-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(.+)-[A-Za-z0-9]{6}$")]
    private static partial Regex FullArnName();
}
