using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gantry.Auth.SigV4;

namespace Gantry.Agent.Connection;

/// <summary>
/// Fetches a registry token with a SigV4-signed ECR GetAuthorizationToken: the password authenticates the agent's
/// gRPC calls and its pulls from the control plane's registry (12 hours, like ECR's).
/// </summary>
public sealed class RegistryTokenClient(AgentSettings settings, HttpClient http, TimeProvider time)
{
    public async Task<(string Password, string RegistryHost)> FetchAsync(CancellationToken ct)
    {
        var body = "{}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.ApiEndpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken");
        new SigV4Signer(settings.AccessKeyId, settings.SecretAccessKey, settings.Region, "ecr", time).Sign(request, body);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GetAuthorizationToken failed: HTTP {(int)response.StatusCode} {text}");
        }
        using var json = JsonDocument.Parse(text);
        var data = json.RootElement.GetProperty("authorizationData")[0];
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(data.GetProperty("authorizationToken").GetString()!)).Split(':', 2);
        return (pair[1], new Uri(data.GetProperty("proxyEndpoint").GetString()!).Authority);
    }
}
