using Gantry.Auth.Profiles;

namespace Gantry.Auth.Tests.Profiles;

public sealed class AwsCliProfileWriterTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("gantry-profile-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Other_profiles_and_comments_survive_and_rewriting_updates_in_place()
    {
        var aws = Directory.CreateDirectory(Path.Combine(_home, ".aws")).FullName;
        File.WriteAllText(Path.Combine(aws, "credentials"), "# mine\n[default]\naws_access_key_id = AKIAMINE\naws_secret_access_key = s3cr3t\n\n[other]\naws_access_key_id = X\n");
        File.WriteAllText(Path.Combine(aws, "config"), "[default]\nregion = eu-west-1\n");
        var writer = AwsCliProfileWriter.ForHome(_home);

        writer.Write("gantry", "AKIAFIRST", "one", "us-east-1", new Uri("http://127.0.0.1:4566/"));
        writer.Write("gantry", "AKIASECOND", "two", "us-east-1", new Uri("http://127.0.0.1:4566/"));

        var credentials = File.ReadAllText(Path.Combine(aws, "credentials"));
        Assert.StartsWith("# mine\n[default]\naws_access_key_id = AKIAMINE\naws_secret_access_key = s3cr3t\n\n[other]\naws_access_key_id = X\n", credentials, StringComparison.Ordinal);
        Assert.Single(credentials.Split('\n'), l => l == "[gantry]");
        Assert.Contains("aws_access_key_id = AKIASECOND", credentials, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAFIRST", credentials, StringComparison.Ordinal);
        var config = File.ReadAllText(Path.Combine(aws, "config"));
        Assert.Equal("[default]\nregion = eu-west-1\n\n[profile gantry]\nregion = us-east-1\noutput = json\nendpoint_url = http://127.0.0.1:4566\n", config);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(aws, "credentials")));
    }

    [Fact]
    public void A_missing_aws_directory_is_created()
    {
        AwsCliProfileWriter.ForHome(_home).Write("gantry", "AKIA", "s", "us-east-1", new Uri("http://127.0.0.1:1"));
        Assert.True(File.Exists(Path.Combine(_home, ".aws", "credentials")));
    }
}
