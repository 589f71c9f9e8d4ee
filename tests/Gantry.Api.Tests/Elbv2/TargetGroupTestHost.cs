using System.Diagnostics;
using System.Text.Json;
using Gantry.Api.Elbv2;
using Gantry.Api.Front;
using Gantry.Auth.SigV4;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Json;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Api.Tests.Elbv2;

/// <summary>
/// The front door on a free loopback port with real SigV4 (one test key, us-east-1), serving the ELBv2 target group
/// operations over a real SQLite store, and the real AWS CLI v2 (/usr/bin/aws) to call it. The service is declared
/// here as <c>MapElbv2</c> declares it in the API host.
/// </summary>
public sealed class TargetGroupTestHost : IAsyncLifetime
{
    public const string AccessKeyId = "AKIAELBTARGETGROUP01";
    private const string Secret = "elbtargetgroupsecret00000000000000000000";
    private const string Cli = "/usr/bin/aws";

    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-elb-").FullName;
    private WebApplication _app = null!;
    private SqliteStateStore _store = null!;

    public Documents Documents { get; private set; } = null!;

    public ElbArns Arns { get; } = new(AwsAccount.Default);

    public Uri Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        Documents = new Documents(_store, AwsJson.Options);
        var table = new AwsOperationTable.Builder()
            .Service(AwsService.Query(Elbv2Model.Name, Elbv2Model.SigningName, Elbv2Model.Version, Elbv2Model.XmlNamespace, Elbv2Model.Errors))
            .MapElbv2TargetGroups(Documents, Arns, new TargetRegistry(Documents, Arns, TimeProvider.System), new TargetGroupUsage(Documents))
            .Build();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        var verifier = new SigV4Verifier((key, _) => ValueTask.FromResult(key == AccessKeyId ? Secret : null), AwsAccount.Default.Region,
            SigV4Authenticator.SignedWhenPresent, TimeProvider.System);
        new AwsFrontDoor(table, new SigV4Authenticator(verifier), Gantry.Api.Tests.Authorization.RootOnly.Authorizer,
            new RequestBodyBudget(AwsJsonLimits.MaxBodyBytesInFlight, AwsJsonLimits.BodyBudgetWait, TimeProvider.System), AwsJson.Options,
            TimeProvider.System, NullLogger<AwsFrontDoor>.Instance).Map(_app);
        await _app.StartAsync();
        Endpoint = new Uri(_app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Runs <c>aws elbv2 ...</c>; the parsed JSON output on success, else the CLI's error line.</summary>
    public async Task<(bool Ok, JsonElement Output, string Error)> ElbAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--endpoint-url", Endpoint.ToString().TrimEnd('/'), "--output", "json", "--no-cli-pager", "elbv2" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var name in new[] { "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_SESSION_TOKEN" })
        {
            info.Environment.Remove(name);
        }
        info.Environment["HOME"] = _directory;
        info.Environment["AWS_CONFIG_FILE"] = Path.Combine(_directory, "config");
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_directory, "credentials");
        info.Environment["AWS_ACCESS_KEY_ID"] = AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = Secret;
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start aws");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var output = await stdout;
        return process.ExitCode == 0
            ? (true, JsonDocument.Parse(output.Length == 0 ? "{}" : output).RootElement.Clone(), "")
            : (false, default, (await stderr).Trim());
    }

    /// <summary>Runs <c>aws elbv2 ...</c> expecting success.</summary>
    public async Task<JsonElement> OkAsync(params string[] args)
    {
        var (ok, output, error) = await ElbAsync(args);
        Assert.True(ok, error);
        return output;
    }

    /// <summary>Runs <c>aws elbv2 ...</c> expecting an error; its code and message as the CLI prints them.</summary>
    public async Task<string> FailAsync(params string[] args)
    {
        var (ok, _, error) = await ElbAsync(args);
        Assert.False(ok, "the call succeeded");
        return error;
    }

    /// <summary>Creates an HTTP target group of <paramref name="targetType"/> on port 80; its ARN.</summary>
    public async Task<string> CreateGroupAsync(string name, string targetType = "ip", string protocol = "HTTP") =>
        (await OkAsync("create-target-group", "--name", name, "--protocol", protocol, "--port", "80", "--vpc-id", "vpc-1", "--target-type", targetType))
            .GetProperty("TargetGroups")[0].GetProperty("TargetGroupArn").GetString()!;

    /// <summary>Stores a load balancer with an HTTP:80 listener forwarding to <paramref name="targetGroupArn"/> (what the listener operations would).</summary>
    public async Task<(string Balancer, string ListenerKey)> ForwardAsync(string balancerName, string targetGroupArn)
    {
        var id = ElbArns.NewId();
        var balancer = Arns.LoadBalancer("application", balancerName, id);
        var listenerId = ElbArns.NewId();
        var listener = new Listener
        {
            ListenerArn = Arns.Listener("application", balancerName, id, listenerId),
            LoadBalancerArn = balancer,
            Port = 80,
            Protocol = "HTTP",
            DefaultActions = [new ElbAction { Type = "forward", TargetGroupArn = targetGroupArn }],
        };
        var key = $"{balancerName}/{listenerId}";
        await _store.CommitAsync([
            Documents.Put(ElbKinds.LoadBalancer, balancerName, new LoadBalancerRecord(new LoadBalancer { LoadBalancerArn = balancer, LoadBalancerName = balancerName, Type = "application" }, [], [], "127.0.0.1"), null),
            Documents.Put(ElbKinds.Listener, key, new ListenerRecord(listener, []), null),
        ], CancellationToken.None);
        return (balancer, key);
    }

    public Task RemoveListenerAsync(string key) => _store.CommitAsync([new DeleteOp(ElbKinds.Listener, key)], CancellationToken.None);

    /// <summary>Writes what the data plane's health checker writes on a change of a target's state.</summary>
    public Task WriteHealthAsync(string groupName, string groupArn, string id, int port, string state, string? reason = null, string? description = null) =>
        _store.CommitAsync([Documents.Put(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey(groupName, id, port),
            new TargetHealthRecord(groupArn, id, port, state, reason, description, DateTimeOffset.UtcNow), null)], CancellationToken.None);
}
