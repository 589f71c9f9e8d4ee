namespace Gantry.Auth.Profiles;

/// <summary>
/// Writes one named profile into the AWS CLI's credentials and config files, leaving every other section and
/// comment as it was. Files are replaced atomically and readable only by their owner.
/// </summary>
public sealed class AwsCliProfileWriter(string credentialsPath, string configPath)
{
    public string CredentialsPath => credentialsPath;
    public string ConfigPath => configPath;

    public static AwsCliProfileWriter ForHome(string home) =>
        new(Path.Combine(home, ".aws", "credentials"), Path.Combine(home, ".aws", "config"));

    public void Write(string profile, string accessKeyId, string secret, string region, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        IniFile.Update(credentialsPath, profile,
        [
            ("aws_access_key_id", accessKeyId),
            ("aws_secret_access_key", secret),
        ]);
        IniFile.Update(configPath, profile == "default" ? "default" : $"profile {profile}",
        [
            ("region", region),
            ("output", "json"),
            ("endpoint_url", endpoint.ToString().TrimEnd('/')),
        ]);
    }
}
