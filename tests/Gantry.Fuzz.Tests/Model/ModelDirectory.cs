namespace Gantry.Fuzz.Tests.Model;

/// <summary>
/// Where the Smithy models live: the official AWS models in <c>GANTRY_AWS_MODELS</c>, else the first
/// <c>shared/aws-models</c> found walking up from the test binaries (the repository's parent holds <c>shared/</c>, as
/// tools/shapegen expects); and Gantry's own APIs' models in the repository's <c>models/</c>. EC2's has no Smithy model
/// there: botocore's is found as tools/shapegen finds it (<see cref="BotocoreModel.Find"/>).
/// </summary>
public static class ModelDirectory
{
    public static IReadOnlyList<string> Find() => [Aws(), Above("models", "gantry.slnx")];

    public static IReadOnlyList<string> Botocore() => [BotocoreModel.Find($"ec2/{Gantry.Domain.Ec2.Ec2Model.Version}/service-2.json")];

    private static string Aws() => Environment.GetEnvironmentVariable("GANTRY_AWS_MODELS") is { Length: > 0 } configured
        ? configured
        : Above(Path.Combine("shared", "aws-models"), null);

    /// <summary>The first <paramref name="relative"/> directory above the test binaries (beside <paramref name="marker"/> when given).</summary>
    private static string Above(string relative, string? marker)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (Directory.Exists(candidate) && (marker is null || File.Exists(Path.Combine(directory.FullName, marker))))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"No {relative} above the test binaries; set GANTRY_AWS_MODELS to the directory of the AWS Smithy models.");
    }
}
