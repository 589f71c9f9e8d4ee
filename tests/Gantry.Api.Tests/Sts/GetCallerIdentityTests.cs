using Gantry.Api.Sts;
using Gantry.Api.Tests.Elbv2;
using Gantry.Auth.Keys;
using Gantry.Domain.Arns;

namespace Gantry.Api.Tests.Sts;

/// <summary>STS GetCallerIdentity through the real AWS CLI: who the signing key belongs to, in AWS's forms.</summary>
public sealed class GetCallerIdentityTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task A_users_key_answers_the_users_arn_and_id()
    {
        var identity = await _aws.OkAsync("sts", "get-caller-identity");

        Assert.Equal(AwsAccount.Default.AccountId, identity.GetProperty("Account").GetString());
        Assert.Equal($"arn:aws:iam::{AwsAccount.Default.AccountId}:user/tester", identity.GetProperty("Arn").GetString());
        Assert.Matches("^AIDA[A-Z2-7]{17}$", identity.GetProperty("UserId").GetString());
        Assert.Equal(identity.GetProperty("UserId").GetString(), (await _aws.OkAsync("sts", "get-caller-identity")).GetProperty("UserId").GetString());
    }

    [Fact]
    public void The_root_key_is_the_account_root_whatever_its_user_name()
    {
        var root = CallerIdentity.Of(new KeyOwner("root", IsRoot: true), null, AwsAccount.Default);
        Assert.Equal((AwsAccount.Default.AccountId, AwsAccount.Default.AccountId, $"arn:aws:iam::{AwsAccount.Default.AccountId}:root"), (root.UserId, root.Account, root.Arn));
        Assert.Equal($"arn:aws:iam::{AwsAccount.Default.AccountId}:user/root", CallerIdentity.Of(new KeyOwner("root", IsRoot: false), null, AwsAccount.Default).Arn);
    }
}
