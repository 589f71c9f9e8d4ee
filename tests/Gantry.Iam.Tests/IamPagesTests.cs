using Gantry.Domain.Errors;

namespace Gantry.Iam.Tests;

public sealed class IamPagesTests
{
    [Fact]
    public void Pages_follow_the_lists_own_order_and_end_without_a_marker()
    {
        string[] tags = ["team", "env", "cost", "app", "zone"];
        var first = IamPages.Of(tags, t => t, null, 2);
        var second = IamPages.Of(tags, t => t, first.Marker, 2);
        var last = IamPages.Of(tags, t => t, second.Marker, 2);

        Assert.Equal(["team", "env", "cost", "app", "zone"], first.Items.Concat(second.Items).Concat(last.Items));
        Assert.Equal((true, true, false), (first.IsTruncated, second.IsTruncated, last.IsTruncated));
    }

    [Fact]
    public void A_marker_naming_no_item_is_refused()
    {
        var error = Assert.Throws<AwsException>(() => IamPages.Of(["a", "b"], t => t, "zz", 1));
        Assert.Equal(("ValidationError", "Invalid Marker."), (error.Type, error.Message));
    }
}
