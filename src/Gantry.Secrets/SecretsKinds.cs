namespace Gantry.Secrets;

/// <summary>
/// The state store's kinds for this project:
/// <c>sm-secret/&lt;secret name&gt;</c> (a <see cref="SecretsManager.SecretRecord"/>: metadata and sealed versions) and
/// <c>ssm-parameter/&lt;parameter name&gt;</c> (a <see cref="Parameters.ParameterRecord"/>: its history with sealed SecureString values).
/// The document key is the name as given, so a name is claimed by creating its document (MustNotExist).
/// </summary>
public static class SecretsKinds
{
    public const string Secret = "sm-secret";
    public const string Parameter = "ssm-parameter";
}
