using Gantry.Api.Authorization;
using Gantry.Api.Ecr;
using Gantry.Api.Ecs;
using Gantry.Api.Front;
using Gantry.Api.Logs;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Iam.Policies;
using Gantry.Registry.Catalog;
using Gantry.Registry.Content;
using Gantry.Store;
using Gantry.Store.Sqlite;

namespace Gantry.Api.Tests.Authorization;

/// <summary>
/// The decision on every signed request: a user's identity policies against the resources the service authorization
/// reference names for the action, explicit deny over allow, ECR repository policies granting other principals, the
/// condition keys a request carries, and AWS's AccessDeniedException wording.
/// </summary>
public sealed class RequestAuthorizerTests : IAsyncLifetime
{
    private static readonly AwsAccount Account = AwsAccount.Default;
    private static readonly string A = $"arn:aws:ecs:us-east-1:{Account.AccountId}";
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-authz-").FullName;
    private readonly Dictionary<string, Caller> _callers = new(StringComparer.Ordinal);
    private SqliteStateStore _store = null!;
    private ImageCatalog _catalog = null!;
    private RequestAuthorizer _authorizer = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), default);
        _catalog = new ImageCatalog(_store, new BlobStore(Path.Combine(_directory, "blobs")), TimeProvider.System);
        var rules = new ResourceRules.Builder()
            .MapEcsResources(new Documents(_store, Domain.Json.AwsJson.Options), new EcsArns(Account))
            .MapEcrResources(_catalog, Account)
            .MapLogsResources(Account)
            .Build();
        _authorizer = new RequestAuthorizer(new Fixed(_callers), rules, new PolicyCache(), Account, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Describe_and_list_on_one_cluster_allow_only_those_calls_on_that_cluster()
    {
        User("dev", $$$$"""{"Version":"2012-10-17","Statement":[ {"Effect":"Allow","Action":["ecs:Describe*","ecs:List*"],"Resource":"{{{{A}}}}:cluster/a"}, {"Effect":"Allow","Action":["ecs:Describe*","ecs:List*"],"Resource":"*","Condition":{"ArnEquals":{"ecs:cluster":"{{{{A}}}}:cluster/a"}}}]}""");

        await AllowedAsync("dev", Ecs("DescribeClusters"), new DescribeClustersRequest { Clusters = ["a"] });
        await AllowedAsync("dev", Ecs("ListTasks"), new ListTasksRequest { Cluster = "a" });
        await AllowedAsync("dev", Ecs("DescribeServices"), new DescribeServicesRequest { Cluster = "a", Services = ["web"] });

        Assert.Equal($"User: arn:aws:iam::{Account.AccountId}:user/dev is not authorized to perform: ecs:DescribeClusters on resource: {A}:cluster/b because no identity-based policy allows the ecs:DescribeClusters action",
            await DeniedAsync("dev", Ecs("DescribeClusters"), new DescribeClustersRequest { Clusters = ["a", "b"] }));
        Assert.Equal($"User: arn:aws:iam::{Account.AccountId}:user/dev is not authorized to perform: ecs:ListTasks on resource: * because no identity-based policy allows the ecs:ListTasks action",
            await DeniedAsync("dev", Ecs("ListTasks"), new ListTasksRequest { Cluster = "b" }));
        Assert.Equal($"User: arn:aws:iam::{Account.AccountId}:user/dev is not authorized to perform: ecs:RunTask on resource: {A}:task-definition/web:3 because no identity-based policy allows the ecs:RunTask action",
            await DeniedAsync("dev", Ecs("RunTask"), new RunTaskRequest { Cluster = "a", TaskDefinition = "web:3" }));
    }

    [Fact]
    public async Task An_explicit_deny_beats_an_allow()
    {
        User("ops", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}, {"Sid":"NoProd","Effect":"Deny","Action":"ecs:StopTask","Resource":"*","Condition":{"StringLike":{"ecs:cluster":"*:cluster/prod"}}}]}""");

        await AllowedAsync("ops", Ecs("StopTask"), new StopTaskRequest { Cluster = "dev", Task = "0123" });
        Assert.Equal($"User: arn:aws:iam::{Account.AccountId}:user/ops is not authorized to perform: ecs:StopTask on resource: {A}:task/prod/0123 with an explicit deny in an identity-based policy",
            await DeniedAsync("ops", Ecs("StopTask"), new StopTaskRequest { Cluster = "prod", Task = "0123" }));
    }

    [Fact]
    public async Task A_repository_policy_grants_pull_to_a_user_without_identity_policies()
    {
        User("ci");
        User("other");
        await _store.CommitAsync([_catalog.Documents.Put(CatalogKinds.Repository, "app", new RepositoryRecord("app", DateTimeOffset.UnixEpoch, RepositoryRecord.Mutable, false, "AES256", null, [],
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account.AccountId}}:user/ci"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"""), WriteOp.MustNotExist)], default);

        await AllowedAsync("ci", Ecr("BatchGetImage"), new Domain.Ecr.BatchGetImageRequest { RepositoryName = "app" });
        Assert.Contains("ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:000000000000:repository/app because no identity-based policy allows",
            await DeniedAsync("other", Ecr("BatchGetImage"), new Domain.Ecr.BatchGetImageRequest { RepositoryName = "app" }), StringComparison.Ordinal);
        await DeniedAsync("ci", Ecr("PutImage"), new Domain.Ecr.PutImageRequest { RepositoryName = "app" });
    }

    [Fact]
    public async Task Request_tags_and_the_users_name_are_condition_keys()
    {
        User("team", """{"Version":"2012-10-17","Statement":[ {"Effect":"Allow","Action":"ecs:CreateCluster","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/owner":"${aws:username}"}}}, {"Effect":"Allow","Action":"logs:*","Resource":"arn:aws:logs:*:*:log-group:/team/${aws:username}:*"}]}""");

        await AllowedAsync("team", Ecs("CreateCluster"), new CreateClusterRequest { ClusterName = "c", Tags = [new Tag { Key = "owner", Value = "team" }] });
        await DeniedAsync("team", Ecs("CreateCluster"), new CreateClusterRequest { ClusterName = "c", Tags = [new Tag { Key = "owner", Value = "else" }] });
        await DeniedAsync("team", Ecs("CreateCluster"), new CreateClusterRequest { ClusterName = "c" });
        await AllowedAsync("team", Logs("PutLogEvents"), new Domain.Logs.PutLogEventsRequest { LogGroupName = "/team/team", LogStreamName = "s" });
        await AllowedAsync("team", Logs("CreateLogGroup"), new Domain.Logs.CreateLogGroupRequest { LogGroupName = "/team/team" });
        await DeniedAsync("team", Logs("CreateLogGroup"), new Domain.Logs.CreateLogGroupRequest { LogGroupName = "/team/other" });
    }

    [Fact]
    public async Task The_account_root_may_do_everything_and_an_unknown_key_nothing()
    {
        _callers["root"] = new Caller(CallerKind.Root, Account.Root, Account.AccountId, Account.AccountId, null, null, new Dictionary<string, string>(), []);

        await _authorizer.AuthorizeAsync(Ecs("DeleteCluster"), new DeleteClusterRequest { Cluster = "x" }, "root", default, default);
        var e = await Assert.ThrowsAsync<AwsException>(async () =>
            await _authorizer.AuthorizeAsync(Ecs("DeleteCluster"), new DeleteClusterRequest { Cluster = "x" }, "gone", default, default));
        Assert.Equal("UnrecognizedClientException", e.Type);
    }

    private void User(string name, params string[] policies) => _callers[name] = new Caller(CallerKind.User, $"arn:aws:iam::{Account.AccountId}:user/{name}",
        "AIDAEXAMPLE" + name.ToUpperInvariant(), Account.AccountId, name, null, new Dictionary<string, string>(),
        [.. policies.Select(p => PolicyDocument.Parse(p, PolicyKind.Identity))]);

    private async Task AllowedAsync(string caller, AwsOperation operation, object input) =>
        await _authorizer.AuthorizeAsync(operation, input, caller, default, default);

    private async Task<string> DeniedAsync(string caller, AwsOperation operation, object input)
    {
        var e = await Assert.ThrowsAsync<AwsException>(async () => await _authorizer.AuthorizeAsync(operation, input, caller, default, default));
        Assert.Equal("AccessDeniedException", e.Type);
        return e.Message;
    }

    private static AwsOperation Ecs(string name) => Operation(EcsOperations.Prefix, "ecs", name);

    private static AwsOperation Ecr(string name) => Operation(EcrOperations.Prefix, "ecr", name);

    private static AwsOperation Logs(string name) => Operation(LogsOperations.Prefix, "logs", name);

    private static AwsOperation Operation(string prefix, string signingName, string name) =>
        new(AwsService.Json(prefix, signingName), name, typeof(object), null, _ => new object(), (_, _, _) => Task.FromResult<object?>(null));

    private sealed class Fixed(Dictionary<string, Caller> callers) : ICallerSource
    {
        public ValueTask<Caller?> FindAsync(string accessKeyId, CancellationToken ct) => ValueTask.FromResult(callers.GetValueOrDefault(accessKeyId));
    }
}
