using Gantry.Domain.Ecs;
using Gantry.Oci.Build;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>The container's environment, layered as dockerd layers it.</summary>
internal static class ProcessEnvironment
{
    /// <summary>The PATH dockerd sets when neither the image nor the definition does.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// PATH (default), HOSTNAME, TERM=xterm with a terminal, then image Env, then the definition's environment, then
    /// the agent's; a later layer replaces an earlier value in place. Image entries without <c>=</c> are dropped
    /// (dockerd would look them up in the client's environment, which an agent does not have).
    /// </summary>
    public static IReadOnlyList<string> Build(ContainerLaunch launch, string hostname)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Set(string name, string value)
        {
            if (name.Length == 0)
            {
                return;
            }
            if (!values.ContainsKey(name))
            {
                order.Add(name);
            }
            values[name] = value;
        }

        Set("PATH", DefaultPath);
        Set("HOSTNAME", hostname);
        if (launch.Definition.PseudoTerminal == true)
        {
            Set("TERM", "xterm");
        }
        foreach (var entry in launch.Image.Config?.Env ?? [])
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                Set(entry[..equals], entry[(equals + 1)..]);
            }
        }
        foreach (var pair in launch.Definition.Environment ?? [])
        {
            Set(pair.Name ?? "", pair.Value ?? "");
        }
        foreach (var (name, value) in launch.Environment)
        {
            Set(name, value);
        }
        return [.. order.Select(name => $"{name}={values[name]}")];
    }
}
