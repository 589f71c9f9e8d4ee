using System.Net;
using System.Net.Sockets;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>Issue 13 item 7: when a port is taken, the error names that port and the option that moves it.</summary>
public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("--listen", "--agent-listen")]
    [InlineData("--agent-listen", "--listen")]
    public async Task A_taken_port_is_named_with_the_option_that_moves_it(string takenOption, string freeOption)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var home = Directory.CreateTempSubdirectory("gantry-listen-").FullName;
        var data = Path.Combine(home, "data");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GantryProcess.StartAsync("server", home, data,
            arguments: [takenOption, $"127.0.0.1:{port}", freeOption, "127.0.0.1:0", "--data-dir", data]));

        Assert.Contains($"cannot listen on 127.0.0.1:{port}: the address is already in use (another gantry?). Use {takenOption} to pick another.",
            refused.Message, StringComparison.Ordinal);
        Directory.Delete(home, recursive: true);
    }
}
