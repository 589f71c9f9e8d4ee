namespace Gantry.Auth.Keys;

/// <summary>An access key with its secret in clear: only ever held in memory, never stored like this.</summary>
public sealed record AccessKey(string AccessKeyId, string SecretAccessKey, string UserName);

/// <summary>An access key as stored: the secret sealed with the master key.</summary>
public sealed record AccessKeyRecord(string AccessKeyId, string UserName, string Status, DateTimeOffset CreatedAt, string SealedSecret);

/// <summary>Whose an access key is. <see cref="IsRoot"/> comes from the root-key setting, never from the user name: an IAM
/// user named "root" is just a user.</summary>
public sealed record KeyOwner(string UserName, bool IsRoot);

/// <summary>A key about to be created: its secret in clear (returned once) and the write that stores it sealed.</summary>
public sealed record PendingAccessKey(AccessKey Key, AccessKeyRecord Record, Gantry.Store.WriteOp Write);
