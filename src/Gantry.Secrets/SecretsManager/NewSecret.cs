namespace Gantry.Secrets.SecretsManager;

/// <summary>What CreateSecret asks for. <see cref="ClientRequestToken"/> becomes the first version's id.</summary>
public sealed record NewSecret(string Name, string? Description, string? KmsKeyId, SecretPayload? Payload, string? ClientRequestToken,
    IReadOnlyList<TagEntry> Tags);

/// <summary>A secret value as given: exactly one of the two.</summary>
public sealed record SecretPayload(string? SecretString, byte[]? SecretBinary)
{
    public const int MaxBytes = 65536;

    /// <summary>The payload of a request, null when it carries neither; refuses both at once or an oversized value.</summary>
    public static SecretPayload? Of(string? secretString, byte[]? secretBinary)
    {
        if (secretString is not null && secretBinary is not null)
        {
            throw SecretErrors.Invalid("You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        if (secretString is null && secretBinary is null)
        {
            return null;
        }
        if ((secretString is not null && System.Text.Encoding.UTF8.GetByteCount(secretString) > MaxBytes) || secretBinary?.Length > MaxBytes)
        {
            throw SecretErrors.Invalid($"The secret value can't be longer than {MaxBytes} bytes.");
        }
        return new SecretPayload(secretString, secretBinary);
    }

    public bool SameAs(string? secretString, byte[]? secretBinary) =>
        SecretString == secretString && (SecretBinary ?? []).AsSpan().SequenceEqual(secretBinary ?? []) && (SecretBinary is null) == (secretBinary is null);
}
