using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Gantry.Api.Front;
using Gantry.Api.Tests;
using Gantry.Auth.SigV4;
using Gantry.Fuzz.Tests.Generation;
using Microsoft.Data.Sqlite;

namespace Gantry.Fuzz.Tests;

/// <summary>
/// Sends one hostile request and judges the answer: never a 5xx; a refusal is a 4xx AWS JSON error
/// (<c>__type</c> and <c>message</c>, the type echoed in <c>x-amzn-ErrorType</c>) or, for an awsQuery request (signed for
/// its service: the signature names the service), an awsQuery <c>ErrorResponse</c> (a <c>Sender</c> fault with
/// <c>Code</c> and <c>Message</c>, and a <c>RequestId</c>, in the service's namespace) or for an ec2 one EC2's
/// <c>Response/Errors/Error</c> (<c>Code</c>, <c>Message</c>) with a <c>RequestID</c>, and leaves both stores as they were:
/// the state store's revision, and the log database's content as read by a separate connection (compared when its
/// <c>PRAGMA data_version</c> moved: a write transaction that changed nothing moves it too).
/// </summary>
public sealed class FuzzRunner(ApiTestHost host) : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly SqliteConnection _logsProbe = OpenProbe(Path.Combine(host.DataDirectory, "logs.db"));
    private long _fingerprintVersion = -1;
    private string _fingerprint = "";

    /// <summary>The HTTP status, and why the answer is wrong (null when it is fine).</summary>
    public async Task<(int Status, string? Failure)> RunAsync(FuzzCase fuzzCase)
    {
        var revision = host.Store.CurrentRevision;
        var logsVersion = LogsVersion();
        if (logsVersion != _fingerprintVersion)
        {
            (_fingerprint, _fingerprintVersion) = (LogsFingerprint(), logsVersion);
        }
        using var request = fuzzCase.QueryService is { } service ? QueryRequest(host, fuzzCase.Body, service) : JsonRequest(fuzzCase);
        using var timeout = new CancellationTokenSource(RequestTimeout);
        using var response = await host.Http.SendAsync(request, timeout.Token);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        if (status == 200)
        {
            return fuzzCase.QueryService is null
                ? (status, IsJson(text) || text.Length == 0 ? null : $"200 with a body that is not JSON: {Excerpt(text)}")
                : (status, IsXml(text) ? null : $"200 with a body that is not XML: {Excerpt(text)}");
        }
        if (status is < 400 or >= 500)
        {
            return (status, $"HTTP {status}: {Excerpt(text)}");
        }
        var malformed = fuzzCase.QueryService switch
        {
            { Protocol: AwsProtocol.Ec2 } => Ec2ErrorProblem(response, text),
            { } queried => QueryErrorProblem(response, text, queried.XmlNamespace!),
            null => ErrorBodyProblem(response, text),
        };
        if (malformed is not null)
        {
            return (status, malformed);
        }
        if (host.Store.CurrentRevision != revision)
        {
            return (status, $"refused ({Excerpt(text)}) but the state store moved from revision {revision} to {host.Store.CurrentRevision}");
        }
        return (status, LogsVersion() != logsVersion && LogsFingerprint() != _fingerprint ? $"refused ({Excerpt(text)}) but the log database changed" : null);
    }

    private HttpRequestMessage JsonRequest(FuzzCase fuzzCase)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint) { Content = new ByteArrayContent(fuzzCase.Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", fuzzCase.Target);
        return request;
    }

    /// <summary>An awsQuery form POST to <paramref name="host"/>, signed for <paramref name="service"/> with the host's key.</summary>
    public static HttpRequestMessage QueryRequest(ApiTestHost host, byte[] body, AwsService service)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(service);
        var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
        new SigV4Signer(host.Key.AccessKeyId, host.Key.SecretAccessKey, "us-east-1", service.SigningName, TimeProvider.System).Sign(request, body);
        return request;
    }

    /// <summary>Why an awsQuery refusal is not AWS's <c>ErrorResponse</c> (null when it is).</summary>
    private static string? QueryErrorProblem(HttpResponseMessage response, string text, string xmlNamespace)
    {
        if (XmlError(response, text, out var root) is { } problem)
        {
            return problem;
        }
        XNamespace ns = xmlNamespace;
        var error = root.Element(ns + "Error");
        string? Text(XElement? parent, string name) => parent?.Element(ns + name)?.Value is { Length: > 0 } value ? value : null;
        return root.Name == ns + "ErrorResponse" && Text(error, "Type") == "Sender" && Text(error, "Code") is not null && Text(error, "Message") is not null
            && Text(root, "RequestId") is not null
            ? null
            : $"error body is not an ErrorResponse with a Sender fault, Code, Message and RequestId in {xmlNamespace}: {Excerpt(text)}";
    }

    /// <summary>Why an ec2 refusal is not EC2's <c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;</c> with a Code, a Message and a RequestID (null when it is).</summary>
    private static string? Ec2ErrorProblem(HttpResponseMessage response, string text)
    {
        if (XmlError(response, text, out var root) is { } problem)
        {
            return problem;
        }
        var errors = root.Element("Errors")?.Elements("Error").ToList() ?? [];
        static bool Filled(XElement? element) => element is { HasElements: false, Value.Length: > 0 };
        return root.Name == "Response" && errors.Count == 1 && Filled(errors[0].Element("Code")) && Filled(errors[0].Element("Message"))
            && Filled(root.Element("RequestID"))
            ? null
            : $"error body is not EC2's Response with one Error (Code, Message) and a RequestID: {Excerpt(text)}";
    }

    /// <summary>Why an error answer is not XML (null when it is, with its <paramref name="root"/>).</summary>
    private static string? XmlError(HttpResponseMessage response, string text, out XElement root)
    {
        root = new XElement("none");
        if (response.Content.Headers.ContentType?.MediaType != "text/xml")
        {
            return $"error with Content-Type {response.Content.Headers.ContentType}: {Excerpt(text)}";
        }
        try
        {
            root = XElement.Parse(text);
            return null;
        }
        catch (XmlException)
        {
            return $"error body is not XML: {Excerpt(text)}";
        }
    }

    private static string? ErrorBodyProblem(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/x-amz-json-1.1")
        {
            return $"error with Content-Type {response.Content.Headers.ContentType}: {Excerpt(text)}";
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object
                || !body.TryGetProperty("__type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString()!.Length == 0
                || !body.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String || message.GetString()!.Length == 0)
            {
                return $"error body without __type and message: {Excerpt(text)}";
            }
            return response.Headers.TryGetValues("x-amzn-ErrorType", out var header) && header.Single() == type.GetString()
                ? null
                : $"x-amzn-ErrorType does not name {type.GetString()}";
        }
        catch (JsonException)
        {
            return $"error body is not JSON: {Excerpt(text)}";
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsXml(string text)
    {
        try
        {
            _ = XElement.Parse(text);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private long LogsVersion()
    {
        using var command = _logsProbe.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// A hash of every row of every table of the log database but <c>sqlite_sequence</c>: an INSERT OR IGNORE that
    /// inserts nothing still burns an AUTOINCREMENT id, which no reader can observe.
    /// </summary>
    private string LogsFingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var tables = new List<string>();
        using (var list = _logsProbe.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name";
            using var names = list.ExecuteReader();
            while (names.Read())
            {
                tables.Add(names.GetString(0));
            }
        }
        foreach (var table in tables)
        {
            using var select = _logsProbe.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var rows = select.ExecuteReader();
            hash.AppendData(Encoding.UTF8.GetBytes(table));
            while (rows.Read())
            {
                for (var i = 0; i < rows.FieldCount; i++)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes($"{rows.GetValue(i)}\u0001"));
                }
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static SqliteConnection OpenProbe(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public static string Excerpt(byte[] body) => Excerpt(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 400)));

    public void Dispose() => _logsProbe.Dispose();
}
