using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gantry.Auth.Keys;
using Gantry.Auth.SigV4;
using Gantry.Domain.Errors;
using Gantry.Store.Sqlite;

namespace Gantry.Cli.Commands;

/// <summary>Signed AWS calls from the `gantry` CLI to a Gantry endpoint: AWS JSON 1.1 here, with AWS errors surfaced as <see cref="AwsException"/>.</summary>
internal sealed class GantryClient(HttpClient http, Uri endpoint, GantryCredentials credentials, string region)
{
    public Uri Endpoint => endpoint;

    public async Task<JsonElement> CallAsync(string signingName, string target, object request, CancellationToken ct)
    {
        var (status, text) = await SendAsync(signingName, "application/x-amz-json-1.1", target, JsonSerializer.SerializeToUtf8Bytes(request), ct).ConfigureAwait(false);
        using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        if (!IsSuccess(status))
        {
            var type = json.RootElement.TryGetProperty("__type", out var t) ? t.GetString() ?? "" : $"HTTP{(int)status}";
            var error = json.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? "" : text;
            throw new AwsException(type, error);
        }
        return json.RootElement.Clone();
    }

    /// <summary>POSTs <paramref name="body"/> signed for <paramref name="signingName"/> (with an X-Amz-Target when given); the answer's status and text.</summary>
    public async Task<(HttpStatusCode Status, string Text)> SendAsync(string signingName, string contentType, string? target, byte[] body, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (target is not null)
        {
            message.Headers.Add("X-Amz-Target", target);
        }
        new SigV4Signer(credentials.AccessKeyId, credentials.SecretAccessKey, region, signingName, TimeProvider.System).Sign(message, body);
        using var response = await http.SendAsync(message, ct).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
    }

    public static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and <= 299;
}

/// <summary>An access key pair read from an AWS credentials file, the environment or a data directory.</summary>
internal sealed record GantryCredentials(string AccessKeyId, string SecretAccessKey)
{
    /// <summary>
    /// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when set, else the root key of the Gantry data directory (readable only
    /// by its owner): its root-credentials file when written, else the secret sealed in its state store.
    /// </summary>
    public static GantryCredentials Resolve(string dataDirectory)
    {
        var id = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(id) && !string.IsNullOrEmpty(secret))
        {
            return new GantryCredentials(id, secret);
        }
        var data = new DataDirectory(dataDirectory);
        if (File.Exists(data.RootCredentials))
        {
            var values = File.ReadAllLines(data.RootCredentials).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
            return new GantryCredentials(values["aws_access_key_id"], values["aws_secret_access_key"]);
        }
        return UnsealRootKey(data)
            ?? throw new InvalidOperationException($"No credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run as the owner of a data directory Gantry has started on (--data-dir {dataDirectory}).");
    }

    // The SQLite store answers synchronously (its tasks complete before they are returned), so this blocks on nothing.
    private static GantryCredentials? UnsealRootKey(DataDirectory data)
    {
        if (!File.Exists(data.StateDatabase) || !File.Exists(data.MasterKey))
        {
            return null;
        }
        var store = SqliteStateStore.OpenAsync(data.StateDatabase, CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            var keys = new AccessKeyStore(store, MasterKey.LoadOrCreate(data.MasterKey), TimeProvider.System);
            return keys.FindRootKeyAsync(CancellationToken.None).GetAwaiter().GetResult() is { } root
                ? new GantryCredentials(root.AccessKeyId, root.SecretAccessKey)
                : null;
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
