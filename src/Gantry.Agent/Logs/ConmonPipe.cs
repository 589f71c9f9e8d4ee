namespace Gantry.Agent.Logs;

/// <summary>Which of the container's output pipes (conmon's stdpipe_t) a k8s-file record came from.</summary>
public enum ConmonPipe
{
    Stdout,
    Stderr,
}
