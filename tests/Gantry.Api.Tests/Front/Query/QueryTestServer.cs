using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Gantry.Api.Front;
using Gantry.Auth.SigV4;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Api.Tests.Front.Query;

/// <summary>
/// The front door alone on a free loopback port, serving <see cref="QueryTestServices"/> with real SigV4 (one test key,
/// region us-east-1), and recording every request as it arrived (method, query, content type, body).
/// </summary>
public sealed class QueryTestServer : IAsyncLifetime
{
    public const string AccessKeyId = "AKIAQUERYTEST0000001";
    public const string Secret = "querytestsecretquerytestsecret0000000000";

    private WebApplication _app = null!;

    public QueryTestServices Services { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public HttpClient Http { get; } = new();

    public Uri Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        var verifier = new SigV4Verifier((key, _) => ValueTask.FromResult(key == AccessKeyId ? Secret : null), AwsAccount.Default.Region,
            SigV4Authenticator.SignedWhenPresent, TimeProvider.System);
        var frontDoor = new AwsFrontDoor(Services.Table(), new SigV4Authenticator(verifier), Gantry.Api.Tests.Authorization.RootOnly.Authorizer,
            new RequestBodyBudget(AwsJsonLimits.MaxBodyBytesInFlight, AwsJsonLimits.BodyBudgetWait, TimeProvider.System), AwsJson.Options,
            TimeProvider.System, NullLogger<AwsFrontDoor>.Instance);
        _app.Use(RecordAsync);
        frontDoor.Map(_app);
        await _app.StartAsync();
        Endpoint = new Uri(_app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>Sends <paramref name="form"/> as awsQuery (a POST body, or the query of a GET), signed for <paramref name="service"/> unless null.</summary>
    public async Task<(int Status, string Body)> SendAsync(string form, string? service, HttpMethod? method = null)
    {
        var get = method == HttpMethod.Get;
        var body = get ? [] : Encoding.UTF8.GetBytes(form);
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, get ? new Uri(Endpoint, "/?" + form) : Endpoint);
        if (!get)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
        }
        if (service is not null)
        {
            new SigV4Signer(AccessKeyId, Secret, AwsAccount.Default.Region, service, TimeProvider.System).Sign(request, body);
        }
        using var response = await Http.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(30));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        await next(context);
        context.Request.Body.Position = 0;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
        Requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.QueryString.Value ?? "", context.Request.ContentType,
            await reader.ReadToEndAsync(), context.Request.Headers.Authorization.ToString()));
    }
}

/// <summary>A request as it reached the server.</summary>
public sealed record RecordedRequest(string Method, string Query, string? ContentType, string Body, string Authorization);
