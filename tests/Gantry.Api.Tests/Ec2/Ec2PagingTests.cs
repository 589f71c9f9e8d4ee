using Gantry.Api.Ec2;
using Gantry.Domain.Errors;

namespace Gantry.Api.Tests.Ec2;

public sealed class Ec2PagingTests
{
    private static readonly int[] Items = [.. Enumerable.Range(1, 12)];

    [Fact]
    public void Pages_follow_their_tokens_to_the_end_and_no_limit_is_one_page()
    {
        var (first, token) = Ec2Paging.Page(Items, 5, null);
        var (second, token2) = Ec2Paging.Page(Items, 5, token);
        var (last, end) = Ec2Paging.Page(Items, 5, token2);

        Assert.Equal([1, 2, 3, 4, 5], first);
        Assert.Equal([6, 7, 8, 9, 10], second);
        Assert.Equal([11, 12], last);
        Assert.Null(end);
        var (whole, none) = Ec2Paging.Page(Items, null, null);
        Assert.Equal(Items, whole);
        Assert.Null(none);
    }

    [Theory]
    [InlineData(4, null)]
    [InlineData(1001, null)]
    [InlineData(5, "not a token")]
    [InlineData(5, "LTE=")]
    public void A_limit_out_of_range_or_a_token_not_issued_here_is_InvalidParameterValue(int maxResults, string? token)
    {
        var failure = Assert.Throws<AwsException>(() => Ec2Paging.Page(Items, maxResults, token));

        Assert.Equal("InvalidParameterValue", failure.Type);
    }
}
