using System.Globalization;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>
/// Turns a Docker user string (<c>user</c>, <c>uid</c>, <c>user:group</c>, <c>uid:gid</c>, ...) into numeric ids by
/// reading the image's <c>/etc/passwd</c> and <c>/etc/group</c>, following runc's GetExecUser (which dockerd uses).
/// </summary>
internal static class UserResolver
{
    private const long MaxId = int.MaxValue;

    private sealed record PasswdEntry(string Name, long Uid, long Gid);

    private sealed record GroupEntry(string Name, long Gid, IReadOnlyList<string> Members);

    /// <summary>
    /// Rules: a numeric user need not exist (its gid is then 0); a name must. A matched user's primary group comes from
    /// passwd unless a group is given (numeric need not exist; a name must). Supplementary groups are those listing the
    /// user as a member, and only when no group is given. Empty means root (uid 0, gid 0).
    /// </summary>
    public static SpecUser Resolve(string rootfs, string? spec)
    {
        spec ??= "";
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var userArg = colon < 0 ? spec : spec[..colon];
        var groupArg = colon < 0 ? "" : spec[(colon + 1)..];
        var numericUid = TryParseId(userArg, out var uidArg);
        var numericGid = TryParseId(groupArg, out var gidArg);

        var passwd = ReadPasswd(rootfs);
        var match = passwd.FirstOrDefault(u => userArg.Length == 0 ? u.Uid == 0 : numericUid ? u.Uid == uidArg : u.Name == userArg);
        long uid = 0;
        long gid = 0;
        var name = "";
        if (match is not null)
        {
            (uid, gid, name) = (match.Uid, match.Gid, match.Name);
        }
        else if (numericUid)
        {
            uid = uidArg;
        }
        else if (userArg.Length > 0)
        {
            throw SpecErrors.CannotStart($"unable to find user {userArg}: no matching entries in passwd file");
        }

        List<uint>? additional = null;
        if (groupArg.Length > 0 || name.Length > 0)
        {
            var groups = ReadGroups(rootfs);
            if (groupArg.Length > 0)
            {
                var group = groups.FirstOrDefault(g => numericGid ? g.Gid == gidArg : g.Name == groupArg);
                if (group is not null)
                {
                    gid = group.Gid;
                }
                else if (numericGid)
                {
                    gid = gidArg;
                }
                else
                {
                    throw SpecErrors.CannotStart($"unable to find group {groupArg}: no matching entries in group file");
                }
            }
            else
            {
                additional = [.. groups.Where(g => g.Members.Contains(name)).Select(g => (uint)g.Gid)];
            }
        }
        return new SpecUser { Uid = (uint)uid, Gid = (uint)gid, AdditionalGids = additional is { Count: > 0 } ? additional : null };
    }

    private static bool TryParseId(string text, out long id)
    {
        if (text.Length == 0 || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id))
        {
            id = 0;
            return false;
        }
        if (id > MaxId)
        {
            throw SpecErrors.CannotStart($"uids and gids must be in range 0-{MaxId}: {text}");
        }
        return true;
    }

    private static List<PasswdEntry> ReadPasswd(string rootfs) =>
        [.. ReadColonFile(rootfs, "/etc/passwd")
            .Where(f => f.Length >= 4 && TryId(f[2], out _) && TryId(f[3], out _))
            .Select(f => new PasswdEntry(f[0], long.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture)))];

    private static List<GroupEntry> ReadGroups(string rootfs) =>
        [.. ReadColonFile(rootfs, "/etc/group")
            .Where(f => f.Length >= 3 && TryId(f[2], out _))
            .Select(f => new GroupEntry(
                f[0],
                long.Parse(f[2], CultureInfo.InvariantCulture),
                f.Length > 3 ? f[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : []))];

    private static bool TryId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id <= MaxId;

    private static List<string[]> ReadColonFile(string rootfs, string path)
    {
        try
        {
            var hostPath = RootfsPath.Resolve(rootfs, path);
            if (!File.Exists(hostPath))
            {
                return [];
            }
            return File.ReadLines(hostPath)
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .Select(line => line.Split(':'))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SpecErrors.CannotStart($"unable to read {path} of the image: {e.Message}");
        }
    }
}
