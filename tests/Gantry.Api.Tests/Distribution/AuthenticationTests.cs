using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Gantry.Api.Tests.Distribution;

/// <summary>Registry auth as ECR does it: Basic with user AWS and a GetAuthorizationToken password, else 401 with a challenge.</summary>
public sealed class AuthenticationTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Theory]
    [InlineData(null)]
    [InlineData("AWS:not-a-token")]
    [InlineData("someone:gantry1.e30.e30")]
    public async Task Requests_without_a_valid_token_get_401_with_a_Basic_challenge(string? credentials)
    {
        using var http = new HttpClient { BaseAddress = host.Endpoint };
        if (credentials is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
        using var response = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("UNAUTHORIZED", await RegistryTestClient.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_token_from_GetAuthorizationToken_opens_the_registry()
    {
        var (status, body) = await host.CallAsync("GetAuthorizationToken", "{}", "AmazonEC2ContainerRegistry_V20150921");
        Assert.Equal(200, status);
        var data = body.GetProperty("authorizationData")[0];
        Assert.Equal($"http://{host.Endpoint.Authority}", data.GetProperty("proxyEndpoint").GetString());
        var expires = DateTimeOffset.FromUnixTimeSeconds((long)data.GetProperty("expiresAt").GetDouble());
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(11.9), TimeSpan.FromHours(12));
        using var http = new HttpClient { BaseAddress = host.Endpoint };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", data.GetProperty("authorizationToken").GetString());
        using var response = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_token_is_refused()
    {
        var (password, _) = host.Registry.Tokens.Issue(host.Key.AccessKeyId, host.Key.UserName);
        var tampered = password[..^2] + (password[^2] == 'A' ? "B" : "A") + password[^1];
        using var http = new HttpClient { BaseAddress = host.Endpoint };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{tampered}")));
        using var response = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
