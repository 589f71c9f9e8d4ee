using Gantry.Store;

namespace Gantry.Auth.Profiles;

/// <summary>Replaces or appends one [section] of an INI file, keeping all other lines byte for byte.</summary>
internal static class IniFile
{
    public static void Update(string path, string section, IReadOnlyList<(string Key, string Value)> values)
    {
        var lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : [];
        var header = $"[{section}]";
        var start = lines.FindIndex(l => l.Trim() == header);
        var body = values.Select(v => $"{v.Key} = {v.Value}").ToList();
        if (start < 0)
        {
            if (lines.Count > 0 && lines[^1].Trim().Length > 0)
            {
                lines.Add("");
            }
            lines.Add(header);
            lines.AddRange(body);
        }
        else
        {
            var end = start + 1;
            while (end < lines.Count && !lines[end].TrimStart().StartsWith('['))
            {
                end++;
            }
            while (end > start + 1 && lines[end - 1].Trim().Length == 0)
            {
                end--; // keep the blank lines that separate sections
            }
            lines.RemoveRange(start + 1, end - start - 1);
            lines.InsertRange(start + 1, body);
        }
        WriteAtomically(path, lines);
    }

    private static void WriteAtomically(string path, List<string> lines)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        using (var stream = new FileStream(temp, PrivateFiles.NewFile(FileMode.Create, FileAccess.Write)))
        using (var writer = new StreamWriter(stream))
        {
            foreach (var line in lines)
            {
                writer.Write(line);
                writer.Write('\n');
            }
        }
        PrivateFiles.Restrict(temp);
        File.Move(temp, path, overwrite: true);
    }
}
