namespace Gantry.Secrets;

/// <summary>
/// A container secret that could not be resolved. <see cref="Exception.Message"/> is the task's stoppedReason as ECS words
/// it (REFERENCE-NEXT §7.2: <c>ResourceInitializationError: unable to pull secrets or registry auth: …</c>);
/// <see cref="Reason"/> is the part about this one secret, as the EC2 agent words it.
/// </summary>
public sealed class SecretResolutionException : Exception
{
    public const string Prefix = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: ";

    public SecretResolutionException(string message, string reason) : base(message) => Reason = reason;

    public SecretResolutionException() : this("", "")
    {
    }

    public SecretResolutionException(string message) : this(message, message)
    {
    }

    public SecretResolutionException(string message, Exception innerException) : base(message, innerException) => Reason = message;

    public string Reason { get; } = "";

    internal static SecretResolutionException FromSecretsManager(string arn, string reason) =>
        new($"{Prefix}unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret {arn} from secrets manager: {reason}", reason);

    internal static SecretResolutionException FromParameterStore(string reason) =>
        new($"{Prefix}unable to retrieve secrets from ssm: service call has been retried 5 time(s): {reason}", reason);
}
