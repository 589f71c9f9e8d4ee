namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>`gantry server` writes no AWS CLI profile (dev does): point a `gantry` profile at the server's root credentials.</summary>
public static class ServerProfile
{
    public static async Task WriteAsync(GantryProcess server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var aws = Path.Combine(server.Home, ".aws");
        Directory.CreateDirectory(aws);
        var lines = await File.ReadAllLinesAsync(Path.Combine(server.DataDirectory, "root-credentials"));
        string Value(string key) => lines.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('=', 2)[1].Trim();
        await File.WriteAllTextAsync(Path.Combine(aws, "credentials"),
            $"[gantry]\naws_access_key_id = {Value("aws_access_key_id")}\naws_secret_access_key = {Value("aws_secret_access_key")}\n");
        await File.WriteAllTextAsync(Path.Combine(aws, "config"), "[profile gantry]\nregion = us-east-1\n");
    }
}
