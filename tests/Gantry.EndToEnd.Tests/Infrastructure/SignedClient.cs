using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gantry.Auth.SigV4;

namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>Signed AWS JSON 1.1 calls with the root key of a server's data directory (its root-credentials file): faster than the AWS CLI.</summary>
public sealed class SignedClient(HttpClient http, Uri endpoint, string accessKeyId, string secret)
{
    public const string Ecs = "AmazonEC2ContainerServiceV20141113.", Logs = "Logs_20140328.";

    public static async Task<SignedClient> ForAsync(HttpClient http, GantryProcess server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var lines = await File.ReadAllLinesAsync(Path.Combine(server.DataDirectory, "root-credentials"));
        string Value(string key) => lines.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('=', 2)[1].Trim();
        return new SignedClient(http, server.Endpoint, Value("aws_access_key_id"), Value("aws_secret_access_key"));
    }

    /// <summary>Calls <paramref name="target"/> (e.g. <c>Ecs + "CreateCluster"</c>); throws unless HTTP 200.</summary>
    public async Task<JsonElement> CallAsync(string target, object request, CancellationToken ct)
    {
        var (status, text) = await SendAsync(target, request, ct);
        if ((int)status is < 200 or > 299)
        {
            throw new HttpRequestException($"{target}: HTTP {(int)status} {text}");
        }
        using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return json.RootElement.Clone();
    }

    /// <summary>Calls <paramref name="target"/> and returns the answer as it came, whatever its status.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(string target, object request, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        message.Headers.Add("X-Amz-Target", target);
        new SigV4Signer(accessKeyId, secret, "us-east-1", target.StartsWith(Logs, StringComparison.Ordinal) ? "logs" : "ecs", TimeProvider.System)
            .Sign(message, body);
        using var response = await http.SendAsync(message, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }
}
