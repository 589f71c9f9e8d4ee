using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>One `gantry dev` shared by the registry tests, with skopeo logged in through get-login-password.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public GantryProcess Gantry { get; private set; } = null!;
    public AwsCli Aws { get; private set; } = null!;
    public RegistryClients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gantry = await GantryProcess.StartAsync("dev");
        Aws = new AwsCli(Gantry);
        Clients = new RegistryClients(Gantry, Aws);
        await Clients.LoginAsync();
    }

    public async Task DisposeAsync()
    {
        await Gantry.DisposeAsync();
        Directory.Delete(Gantry.Home, recursive: true);
    }
}
