using Gantry.Domain.Ecs;
using Gantry.Oci.Build;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>argv from the image's Entrypoint/Cmd and the definition's entryPoint/command, merged as dockerd merges them.</summary>
internal static class ProcessArgs
{
    /// <summary>
    /// dockerd (daemon/commit.go <c>merge</c>): a non-empty definition entryPoint replaces the image Entrypoint and
    /// drops the image Cmd (only the definition's command follows it); an empty entryPoint (<c>[]</c>) clears the image
    /// Entrypoint but keeps the image Cmd; a non-empty command replaces the image Cmd. argv = entrypoint ++ cmd.
    /// </summary>
    public static IReadOnlyList<string> Resolve(ContainerDefinition definition, ContainerConfig? image)
    {
        var entryPoint = definition.EntryPoint;
        var command = definition.Command is { Count: > 0 } c ? c : null;
        IReadOnlyList<string> resolvedEntry;
        IReadOnlyList<string> resolvedCmd;
        if (entryPoint is { Count: > 0 })
        {
            resolvedEntry = entryPoint;
            resolvedCmd = command ?? [];
        }
        else
        {
            resolvedEntry = entryPoint ?? image?.Entrypoint ?? [];
            resolvedCmd = command ?? image?.Cmd ?? [];
        }
        IReadOnlyList<string> args = [.. resolvedEntry, .. resolvedCmd];
        if (args.Count == 0)
        {
            throw SpecErrors.CannotStart($"no command specified for container '{definition.Name}'");
        }
        return args;
    }
}
