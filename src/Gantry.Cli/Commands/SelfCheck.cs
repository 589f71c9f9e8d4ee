using System.Text;
using System.Text.Json;
using Gantry.Auth.SigV4;

namespace Gantry.Cli.Commands;

/// <summary>Proves a started control plane answers: one signed ListClusters over HTTP, as the AWS CLI would send it.</summary>
internal static class SelfCheck
{
    public static async Task<int> RunAsync(ControlPlane plane, string region, CancellationToken ct)
    {
        using var http = new HttpClient();
        var body = "{}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, plane.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters");
        new SigV4Signer(plane.RootKey.AccessKeyId, plane.RootKey.SecretAccessKey, region, "ecs", TimeProvider.System).Sign(request, body);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"self-check failed: HTTP {(int)response.StatusCode}: {text}");
        }
        using var json = JsonDocument.Parse(Encoding.UTF8.GetBytes(text));
        return json.RootElement.GetProperty("clusterArns").GetArrayLength();
    }
}
