using Gantry.Store;

namespace Gantry.Cli.Commands;

/// <summary>
/// The control plane's data directory; nothing else builds these paths. Only its owner may read it:
/// <code>
/// &lt;data-dir&gt;/                 0700  refused at start when group or others have any access
///   state.db (-wal, -shm)      0600  the state store; access keys' secrets sealed with master.key;
///                                    the account id and region its ARNs were issued in
///   logs.db (-wal, -shm)       0600  CloudWatch Logs groups, streams and events
///   master.key                 0600  AES-256 key sealing secrets at rest and signing registry tokens
///   registry/                  0700  blobs/&lt;algorithm&gt;/&lt;hex&gt;, ingest/, uploads/&lt;id&gt;/ (files 0600)
///   root-credentials           0600  the root key in clear (AWS CLI credentials format), only with
///   root-config                0600  --write-root-credentials (default for `gantry dev`); removed otherwise
///   replica-id                 0600  this control plane replica's id in the controllers' leader election
/// </code>
/// </summary>
internal sealed record DataDirectory(string Root)
{
    public string StateDatabase => Path.Combine(Root, "state.db");
    public string LogDatabase => Path.Combine(Root, "logs.db");
    public string MasterKey => Path.Combine(Root, "master.key");
    public string Registry => Path.Combine(Root, "registry");
    public string RootCredentials => Path.Combine(Root, "root-credentials");
    public string RootConfig => Path.Combine(Root, "root-config");

    /// <summary>This replica's id in the leader election, created on first use: a restart keeps it, so a restarted
    /// leader takes its lease back at once instead of waiting the lease out.</summary>
    public string ReplicaId()
    {
        var path = Path.Combine(Root, "replica-id");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        var id = $"{Environment.MachineName}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}";
        PrivateFiles.WriteAllText(path, id + "\n");
        return id;
    }

    /// <summary>
    /// Creates the directory as 0700, or checks that an existing one is closed to group and others. An open one is
    /// refused rather than fixed (as PostgreSQL and ssh do): the operator may have chosen a shared directory on
    /// purpose (a home, /srv), and what it already holds may have been readable for a while.
    /// </summary>
    /// <exception cref="DataDirectoryException">The directory lets group or others in.</exception>
    public static DataDirectory Open(string root)
    {
        if (!Directory.Exists(root))
        {
            return new DataDirectory(PrivateFiles.CreateDirectory(root));
        }
        var mode = File.GetUnixFileMode(root);
        if ((mode & PrivateFiles.GroupOrOther) != 0)
        {
            throw new DataDirectoryException(
                $"the data directory {root} is accessible by group or others (mode {Octal(mode)}), and it holds keys and secrets. " +
                $"Gantry starts only on a directory only its owner can use: chmod -R go-rwx '{root}'");
        }
        return new DataDirectory(root);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}

/// <summary>The data directory cannot be used; the message says why and what fixes it.</summary>
internal sealed class DataDirectoryException(string message) : Exception(message);
