namespace Gantry.Agent.Networking;

/// <summary>A host port published for a task; disposing it closes the port.</summary>
public interface IPublishedPort : IAsyncDisposable
{
    /// <summary>The port on the node.</summary>
    int HostPort { get; }
}
