using Gantry.Api.Front;
using Gantry.Auth.Keys;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>Who signed an IAM request, for the operations whose user defaults to the caller.</summary>
public static class IamCaller
{
    public static async Task<KeyOwner> OwnerAsync(IamDirectory iam, AwsCallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(iam);
        ArgumentNullException.ThrowIfNull(call);
        return await iam.Keys.FindOwnerAsync(call.AccessKeyId, ct).ConfigureAwait(false)
            ?? throw IamErrors.NoSuchAccessKey(call.AccessKeyId);
    }

    /// <summary>The IAM user an access key operation is about: the one named, else the caller. The account root has no
    /// IAM user: its own key is not managed through IAM.</summary>
    public static async Task<string> UserAsync(IamDirectory iam, string? userName, AwsCallContext call, CancellationToken ct)
    {
        if (userName is not null)
        {
            return IamInput.Name(userName, "userName", 128);
        }
        var owner = await OwnerAsync(iam, call, ct).ConfigureAwait(false);
        return owner.IsRoot
            ? throw IamErrors.InvalidInput("The account root's access key is Gantry's own (made at first start) and is not managed through IAM: name a user.")
            : owner.UserName;
    }
}
