namespace Gantry.Agent.Runtime.Conmon;

/// <summary>
/// Where one container's runtime files live under the agent's state directory. Its log lives apart
/// (<paramref name="Log"/>), so it stays readable after the container is removed. Its writable layer (upper and work
/// directories) lives in <paramref name="Writable"/> when given: a Fargate task's own capped storage.
/// </summary>
public sealed record ContainerPaths(string Directory, string Log, string? Writable = null)
{
    public string Bundle => Path.Combine(Directory, "bundle");
    public string Config => Path.Combine(Bundle, "config.json");
    public string Rootfs => Path.Combine(Directory, "rootfs");
    public string Upper => Path.Combine(Writable ?? Directory, "upper");
    public string Work => Path.Combine(Writable ?? Directory, "work");
    public string ExitDirectory => Path.Combine(Directory, "exit");
    public string PersistDirectory => Path.Combine(Directory, "persist");
    public string PidFile => Path.Combine(Directory, "pid");
    public string ConmonPidFile => Path.Combine(Directory, "conmon.pid");
    public string SocketDirectory => Path.Combine(Directory, "sockets");
    public string OomFile => Path.Combine(PersistDirectory, "oom");

    public string ExitFile(string id) => Path.Combine(ExitDirectory, id);
}
