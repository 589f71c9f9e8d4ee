using Gantry.Agent.Networking;

namespace Gantry.Agent.Tests.Networking;

public sealed class RemoteTaskRoutesTests
{
    [Fact]
    public void Commands_remove_what_is_no_longer_listed_and_replace_what_is_new_or_moved()
    {
        var installed = new Dictionary<string, string> { ["100.64.0.4"] = "10.250.0.11", ["100.64.0.5"] = "10.250.0.12", ["100.64.0.6"] = "10.250.0.12" };
        var wanted = new Dictionary<string, string> { ["100.64.0.5"] = "10.250.0.12", ["100.64.0.6"] = "10.250.0.13", ["100.64.0.7"] = "10.250.0.11" };

        var commands = RemoteTaskRoutes.Commands(installed, wanted).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
        [
            "route del 100.64.0.4/32 via 10.250.0.11 proto 213",
            "route replace 100.64.0.6/32 via 10.250.0.13 proto 213",
            "route replace 100.64.0.7/32 via 10.250.0.11 proto 213",
        ], commands);
        Assert.Equal("", RemoteTaskRoutes.Commands(wanted, wanted));
    }
}
