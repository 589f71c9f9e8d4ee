using Gantry.Api.Tests.Elbv2;
using Gantry.Domain.Arns;

namespace Gantry.Api.Tests.Sts;

/// <summary>STS GetCallerIdentity through the real AWS CLI: who the signing key belongs to, in AWS's forms.</summary>
public sealed class GetCallerIdentityTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task The_root_key_answers_the_account_root()
    {
        var identity = await _aws.OkAsync("sts", "get-caller-identity");

        Assert.Equal(AwsAccount.Default.AccountId, identity.GetProperty("Account").GetString());
        Assert.Equal(AwsAccount.Default.AccountId, identity.GetProperty("UserId").GetString());
        Assert.Equal($"arn:aws:iam::{AwsAccount.Default.AccountId}:root", identity.GetProperty("Arn").GetString());
    }
}
