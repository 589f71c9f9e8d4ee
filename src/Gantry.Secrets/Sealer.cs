using Gantry.Auth.Keys;

namespace Gantry.Secrets;

/// <summary>
/// Seals secret values with the master key, each bound to where it belongs (a secret's ARN and version, a parameter's
/// name and version), so a sealed value copied to another document does not open.
/// </summary>
public sealed class Sealer(MasterKey masterKey)
{
    public string SealSecret(string arn, string versionId, string plaintext) => masterKey.Seal(plaintext, $"secretsmanager:{arn}:{versionId}");

    public string OpenSecret(string arn, string versionId, string sealedText) => masterKey.Open(sealedText, $"secretsmanager:{arn}:{versionId}");

    public string SealParameter(string name, long version, string plaintext) => masterKey.Seal(plaintext, ParameterContext(name, version));

    public string OpenParameter(string name, long version, string sealedText) => masterKey.Open(sealedText, ParameterContext(name, version));

    private static string ParameterContext(string name, long version) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ssm:{name}:{version}");
}
