namespace Gantry.Fuzz.Tests.Model;

/// <summary>
/// Where the official AWS models live: <c>GANTRY_AWS_MODELS</c>, else the first <c>shared/aws-models</c> found
/// walking up from the test binaries (the repository's parent holds <c>shared/</c>, as tools/shapegen expects).
/// </summary>
public static class ModelDirectory
{
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("GANTRY_AWS_MODELS") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "aws-models");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("No shared/aws-models above the test binaries; set GANTRY_AWS_MODELS to the directory of the AWS Smithy models.");
    }
}
