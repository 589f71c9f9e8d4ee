using System.Text.Json;

namespace Gantry.Agent.Logs.Shipping;

/// <summary>
/// What a container's log shipper needs, persisted before the container starts and removed once its output is all
/// stored, so a restarted agent finishes shipping for containers that ran or exited while it was down.
/// </summary>
public sealed record ShippingRecord(string RuntimeId, string LogPath, string Group, string Stream, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>The task and container whose output this is: the control plane accepts a stream only for a task of this node.</summary>
    public string TaskArn { get; init; } = "";

    public string ContainerName { get; init; } = "";

    /// <summary>The stream as the control plane is asked to open and append to it.</summary>
    public Protocol.LogStreamRef StreamRef(bool createGroup) =>
        new() { Group = Group, Stream = Stream, CreateGroup = createGroup, TaskArn = TaskArn, ContainerName = ContainerName };

    /// <summary>Records under <c>&lt;state&gt;/logship</c>, one JSON file per container.</summary>
    public static string Directory(string stateDirectory) => Path.Combine(stateDirectory, "logship");

    public async Task SaveAsync(string stateDirectory, CancellationToken ct)
    {
        var directory = Directory(stateDirectory);
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, RuntimeId + ".json");
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(this), ct).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(string stateDirectory) => File.Delete(Path.Combine(Directory(stateDirectory), RuntimeId + ".json"));

    public static IReadOnlyList<ShippingRecord> LoadAll(string stateDirectory)
    {
        var directory = Directory(stateDirectory);
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }
        return [.. System.IO.Directory.EnumerateFiles(directory, "*.json").Select(f => JsonSerializer.Deserialize<ShippingRecord>(File.ReadAllBytes(f))!)];
    }
}
