using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>Nobody unauthenticated gets in: unsigned, wrongly signed and unknown-key requests are refused.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private GantryProcess _gantry = null!;

    public async Task InitializeAsync() => _gantry = await GantryProcess.StartAsync("dev");

    public async Task DisposeAsync() => await _gantry.DisposeAsync();

    [Fact]
    public async Task Unsigned_request_is_refused_with_MissingAuthenticationTokenException()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _gantry.Endpoint)
        {
            Content = new StringContent("""{"clusterName":"sneaky"}""", Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateCluster");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("MissingAuthenticationTokenException", body.RootElement.GetProperty("__type").GetString());

        var clusters = await new AwsCli(_gantry).OkAsync("ecs", "list-clusters");
        Assert.DoesNotContain(clusters.GetProperty("clusterArns").EnumerateArray(), a => a.GetString()!.EndsWith("/sneaky", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_secret_gets_InvalidSignatureException()
    {
        var accessKeyId = ReadProfileValue("aws_access_key_id");
        var result = await RunAwsWithKeysAsync(accessKeyId, "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYxx");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(InvalidSignatureException)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_access_key_gets_UnrecognizedClientException()
    {
        var result = await RunAwsWithKeysAsync("AKIAZZZZZZZZZZZZZZZZ", "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYxx");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(UnrecognizedClientException)", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eu-west-9", "Credential should be scoped to a valid region, not 'eu-west-9'.")]
    [InlineData("us-west-2", "Credential should be scoped to a valid region, not 'us-west-2'.")]
    public async Task Signed_for_another_region_gets_InvalidSignatureException(string region, string message)
    {
        var result = await RunAwsWithKeysAsync(ReadProfileValue("aws_access_key_id"), ReadProfileValue("aws_secret_access_key"), region);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(InvalidSignatureException)", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_aws_cli_signs_what_Gantry_requires()
    {
        var result = await RunAwsWithKeysAsync(ReadProfileValue("aws_access_key_id"), ReadProfileValue("aws_secret_access_key"), "us-east-1");
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    private string ReadProfileValue(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(_gantry.Home, ".aws", "credentials"));
        var inGantry = false;
        foreach (var line in lines.Select(l => l.Trim()))
        {
            if (line.StartsWith('['))
            {
                inGantry = line == "[gantry]";
            }
            else if (inGantry && line.StartsWith(name, StringComparison.Ordinal))
            {
                return line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        throw new InvalidOperationException($"no {name} in the gantry profile");
    }

    private async Task<AwsCliResult> RunAwsWithKeysAsync(string accessKeyId, string secret, string region = "us-east-1")
    {
        var info = new ProcessStartInfo(AwsCli.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--endpoint-url", _gantry.Endpoint.ToString().TrimEnd('/'), "--region", region, "ecs", "list-clusters" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["HOME"] = _gantry.Home;
        info.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        info.Environment["AWS_ACCESS_KEY_ID"] = accessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = secret;
        info.Environment.Remove("AWS_PROFILE");
        info.Environment["AWS_MAX_ATTEMPTS"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new AwsCliResult(process.ExitCode, await stdout, await stderr);
    }
}
