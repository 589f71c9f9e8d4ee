namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>skopeo and podman against a Gantry registry, logged in the way ECR users do it (get-login-password).</summary>
public sealed class RegistryClients(GantryProcess gantry, AwsCli aws)
{
    public const string Skopeo = "/usr/bin/skopeo";
    public const string Podman = "/usr/bin/podman";

    public string Registry => gantry.Endpoint.Authority;
    public string AuthFile => Path.Combine(gantry.Home, "auth.json");

    public async Task<string> PasswordAsync()
    {
        var result = await aws.RunAsync("ecr", "get-login-password");
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Trim();
    }

    public async Task LoginAsync()
    {
        var password = await PasswordAsync();
        await Tool.OkAsync(Skopeo, ["login", "--tls-verify=false", "--authfile", AuthFile, "--username", "AWS", "--password-stdin", Registry], stdin: password);
    }

    public Task<string> SkopeoAsync(params string[] args) =>
        Tool.OkAsync(Skopeo, args.Take(1).Concat(["--authfile", AuthFile]).Concat(args.Skip(1)));

    public Task<AwsCliResult> TrySkopeoAsync(params string[] args) =>
        Tool.RunAsync(Skopeo, args.Take(1).Concat(["--authfile", AuthFile]).Concat(args.Skip(1)));

    public Task<string> CopyAsync(string from, string to) =>
        SkopeoAsync("copy", "--src-tls-verify=false", "--dest-tls-verify=false", from, to);
}
