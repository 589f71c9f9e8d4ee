using System.Text.Json;
using Gantry.Domain.Json;

namespace Gantry.Agent.Engine;

/// <summary>Persists each task's state as <c>&lt;root&gt;/tasks/&lt;id&gt;.json</c>, replaced atomically on every change.</summary>
public sealed class TaskStateFiles
{
    private readonly string _directory;

    public TaskStateFiles(string root)
    {
        _directory = Path.Combine(root, "tasks");
        Directory.CreateDirectory(_directory);
    }

    /// <summary>A directory private to one task (task-scoped volumes, /etc files).</summary>
    public string TaskDirectory(string id) => Path.Combine(_directory, id);

    public async Task SaveAsync(AgentTask task, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(task);
        var path = Path.Combine(_directory, task.Id + ".json");
        var temp = path + ".tmp";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await JsonSerializer.SerializeAsync(file, task, AwsJson.Options, ct).ConfigureAwait(false);
            await file.FlushAsync(ct).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public async Task<IReadOnlyList<AgentTask>> LoadAllAsync(CancellationToken ct)
    {
        var tasks = new List<AgentTask>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*.json"))
        {
            await using var file = File.OpenRead(path);
            if (await JsonSerializer.DeserializeAsync<AgentTask>(file, AwsJson.Options, ct).ConfigureAwait(false) is { } task)
            {
                tasks.Add(task);
            }
        }
        return tasks;
    }

    public void Delete(string id)
    {
        File.Delete(Path.Combine(_directory, id + ".json"));
        var directory = TaskDirectory(id);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
