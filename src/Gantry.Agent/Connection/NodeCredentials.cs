using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gantry.Agent.Connection;

/// <summary>
/// This node's identity after joining: its node id, secret, cluster ("" for a Fargate-only node) and Fargate pool, kept in <c>&lt;state-dir&gt;/node-credentials</c>
/// (mode 0600) and reused on every restart, so the join token is needed only once.
/// </summary>
public sealed record NodeCredentials(
    [property: JsonPropertyName("nodeId")] string NodeId,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("cluster")] string Cluster,
    [property: JsonPropertyName("capacity")] string? Capacity = null)
{
    public const string FileName = "node-credentials";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The gRPC <c>authorization</c> header value.</summary>
    public string Authorization => $"GantryNode {NodeId}.{Secret}";

    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, FileName);

    public static NodeCredentials? Load(string stateDirectory)
    {
        var path = PathIn(stateDirectory);
        return File.Exists(path) ? JsonSerializer.Deserialize<NodeCredentials>(File.ReadAllBytes(path))
            ?? throw new InvalidDataException($"{path} is empty") : null;
    }

    /// <summary>Writes the file readable by its owner only (created 0600, then renamed into place).</summary>
    public void Save(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = PathIn(stateDirectory);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnly,
        }))
        {
            JsonSerializer.Serialize(file, this);
            file.Flush(flushToDisk: true);
        }
        File.SetUnixFileMode(temp, OwnerOnly);
        File.Move(temp, path, overwrite: true);
    }
}
