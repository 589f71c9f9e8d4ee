namespace Gantry.Auth.Keys;

/// <summary>An access key with its secret in clear: only ever held in memory, never stored like this.</summary>
public sealed record AccessKey(string AccessKeyId, string SecretAccessKey, string UserName);

/// <summary>An access key as stored: the secret sealed with the master key.</summary>
public sealed record AccessKeyRecord(string AccessKeyId, string UserName, string Status, DateTimeOffset CreatedAt, string SealedSecret);
