using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>A push killed with the server keeps its partial upload until --upload-expiry; the start-up banner shows both.</summary>
public sealed class UploadExpiryTests
{
    [Fact]
    public async Task A_restart_after_kill_9_mid_push_shows_the_unfinished_upload_and_the_configured_expiry()
    {
        var gantry = await GantryProcess.StartAsync("dev", arguments: Arguments(null, "90m"));
        var (home, data) = (gantry.Home, gantry.DataDirectory);
        try
        {
            await AssertBannerAsync(gantry, "uploads: 0 unfinished (0 MiB), removed 90m after they start (--upload-expiry)");
            var aws = new AwsCli(gantry);
            await aws.OkAsync("ecr", "create-repository", "--repository-name", "e2e/killed");
            var password = (await aws.RunAsync("ecr", "get-login-password")).StandardOutput.Trim();
            using var http = new HttpClient { BaseAddress = gantry.Endpoint, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{password}")));
            using var start = await http.PostAsync("/v2/e2e/killed/blobs/uploads/", null);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            using var chunk = new ByteArrayContent(new byte[3 * 1024 * 1024]);
            using var patch = await http.PatchAsync(start.Headers.Location, chunk);
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            await gantry.KillAsync();
        }
        finally
        {
            await gantry.DisposeAsync();
        }

        await using var restarted = await GantryProcess.StartAsync("dev", home, data, arguments: Arguments(data, null));
        await AssertBannerAsync(restarted, "uploads: 1 unfinished (3 MiB), removed 1d after they start (--upload-expiry)");
    }

    [Fact]
    public async Task An_upload_expiry_under_a_minute_is_refused_in_one_line()
    {
        var home = Directory.CreateTempSubdirectory("gantry-home-").FullName;
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GantryProcess.StartAsync("dev", home, arguments: Arguments(Path.Combine(home, ".gantry"), "30s")));
        Assert.Contains("gantry dev: --upload-expiry must be a duration of at least 1m (30s, 10m, 2h, 1d, 1w), got '30s'.", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", refused.Message, StringComparison.Ordinal);
    }

    private static async Task AssertBannerAsync(GantryProcess gantry, string expected)
    {
        await Eventually.TrueAsync(() => Task.FromResult(gantry.Output.Contains("uploads:", StringComparison.Ordinal)));
        Assert.Equal(expected, gantry.Output.Split('\n').First(l => l.Contains("uploads:", StringComparison.Ordinal)).Trim());
    }

    private static string[] Arguments(string? dataDirectory, string? expiry) =>
        [
            "--listen", "127.0.0.1:0",
            .. dataDirectory is null ? Array.Empty<string>() : ["--data-dir", dataDirectory],
            .. expiry is null ? Array.Empty<string>() : ["--upload-expiry", expiry],
        ];
}
