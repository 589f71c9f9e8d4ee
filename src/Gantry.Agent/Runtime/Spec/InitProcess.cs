namespace Gantry.Agent.Runtime.Spec;

/// <summary>
/// linuxParameters.initProcessEnabled, as Docker's <c>--init</c>: a tiny init (Debian's static tini) is mounted
/// read-only at <c>/sbin/docker-init</c> and runs the container's command as its child, so signals are forwarded
/// and zombies reaped.
/// </summary>
public static class InitProcess
{
    public const string HostBinary = "/usr/bin/tini-static";
    public const string ContainerPath = "/sbin/docker-init";

    public static RuntimeSpec Apply(RuntimeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!File.Exists(HostBinary))
        {
            throw new CannotStartContainerException($"CannotStartContainerError: initProcessEnabled needs {HostBinary} on the node (Debian package tini)");
        }
        return spec with
        {
            Mounts = [.. spec.Mounts, new SpecMount { Destination = ContainerPath, Type = "bind", Source = HostBinary, Options = ["bind", "ro", "rprivate"] }],
            Process = spec.Process with { Args = [ContainerPath, "--", .. spec.Process.Args] },
        };
    }
}
