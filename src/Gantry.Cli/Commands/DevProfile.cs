using Gantry.Auth.Profiles;

namespace Gantry.Cli.Commands;

/// <summary>The `gantry` profile `gantry dev` keeps in ~/.aws, pointing at this control plane with the root key.</summary>
internal static class DevProfile
{
    public const string Name = "gantry";

    public static AwsCliProfileWriter Write(ControlPlane plane, ControlPlaneSettings settings)
    {
        var writer = AwsCliProfileWriter.ForHome(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        writer.Write(Name, plane.RootKey.AccessKeyId, plane.RootKey.SecretAccessKey, settings.Account.Region, plane.Endpoint);
        return writer;
    }
}
