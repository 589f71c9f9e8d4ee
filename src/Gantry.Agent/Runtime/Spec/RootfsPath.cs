namespace Gantry.Agent.Runtime.Spec;

/// <summary>Resolves a path inside a container's root filesystem without letting symlinks or <c>..</c> leave it.</summary>
internal static class RootfsPath
{
    private const int MaxSymlinks = 255;

    /// <summary>
    /// The host path of <paramref name="containerPath"/>, following symlinks as the container would see them: an
    /// absolute target restarts at the rootfs, <c>..</c> stops at it (as securejoin does for runc and dockerd). An image
    /// whose <c>/etc/passwd</c> links to <c>/etc/shadow</c> therefore reads its own shadow, never the host's.
    /// </summary>
    public static string Resolve(string rootfs, string containerPath)
    {
        var root = Path.GetFullPath(rootfs).TrimEnd('/');
        var pending = new Stack<string>(Split(containerPath).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }
                continue;
            }
            var candidate = root + "/" + string.Join('/', resolved.Append(part));
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxSymlinks)
            {
                throw new IOException($"too many levels of symbolic links resolving {containerPath}");
            }
            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }
            foreach (var next in Split(target).Reverse())
            {
                pending.Push(next);
            }
        }
        return resolved.Count == 0 ? root : root + "/" + string.Join('/', resolved);
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
}
