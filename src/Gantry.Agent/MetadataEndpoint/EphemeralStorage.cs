namespace Gantry.Agent.MetadataEndpoint;

/// <summary>What a task has written: the bytes of its containers' writable layers and its task directory (volumes), in MiB.</summary>
public static class EphemeralStorage
{
    public static long UtilizedMib(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        long bytes = 0;
        foreach (var directory in directories.Where(Directory.Exists))
        {
            var files = new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 });
            bytes += files.Sum(f => f.Length);
        }
        return bytes / (1024 * 1024);
    }
}
