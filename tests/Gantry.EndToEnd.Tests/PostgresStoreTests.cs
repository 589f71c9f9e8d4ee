using Gantry.EndToEnd.Tests.Infrastructure;
using Gantry.Testing.Postgres;

namespace Gantry.EndToEnd.Tests;

/// <summary>`gantry server --store postgres://...`: the state lives in PostgreSQL, not in the data directory, and
/// survives kill -9 of the server; a store URL that is not one is refused before anything starts.</summary>
public sealed class PostgresStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_server_keeps_its_state_in_PostgreSQL_through_kill_9()
    {
        var database = await postgres.CreateDatabaseAsync();
        string[] store = ["--store", postgres.UrlOf(database)];
        var server = await GantryProcess.StartAsync("server", extraArguments: store);
        string arn;
        try
        {
            await ServerProfile.WriteAsync(server);
            var aws = new AwsCli(server);
            await aws.OkAsync("ecs", "create-cluster", "--cluster-name", "pg");
            arn = (await aws.OkAsync("ecs", "register-task-definition", "--family", "on-pg", "--container-definitions",
                """[{"name":"app","image":"busybox","memory":32}]""")).GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString()!;
            Assert.False(File.Exists(Path.Combine(server.DataDirectory, "state.db")), "the state went to the data directory");
            await server.KillAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }

        await using var restarted = await GantryProcess.StartAsync("server", server.Home, server.DataDirectory, extraArguments: store);
        await ServerProfile.WriteAsync(restarted);
        var again = new AwsCli(restarted);
        var cluster = (await again.OkAsync("ecs", "describe-clusters", "--clusters", "pg")).GetProperty("clusters")[0];
        Assert.Equal("ACTIVE", cluster.GetProperty("status").GetString());
        Assert.Equal(arn, (await again.OkAsync("ecs", "describe-task-definition", "--task-definition", "on-pg:1"))
            .GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString());
    }

    [Fact]
    public async Task On_PostgreSQL_the_leading_controllers_run_a_service_to_steady_state()
    {
        await using var dev = await GantryProcess.StartAsync("dev", extraArguments: ["--store", postgres.UrlOf(await postgres.CreateDatabaseAsync())]);
        var aws = new AwsCli(dev);
        await aws.OkAsync("ecs", "register-task-definition", "--family", "pg-web", "--container-definitions",
            """[{"name":"app","image":"busybox","memory":32,"essential":true,"command":["sleep","600"]}]""");

        await aws.OkAsync("ecs", "create-service", "--service-name", "pg-web", "--task-definition", "pg-web", "--desired-count", "2");
        await Eventually.TrueAsync(async () => await RunningAsync(aws) == 2, 120);
        var tasks = (await aws.OkAsync("ecs", "list-tasks", "--service-name", "pg-web")).GetProperty("taskArns").EnumerateArray().Select(t => t.GetString()!).ToList();
        var described = (await aws.OkAsync(["ecs", "describe-tasks", "--tasks", .. tasks])).GetProperty("tasks").EnumerateArray();
        Assert.All(described, t => Assert.Equal("RUNNING", t.GetProperty("lastStatus").GetString()));

        await aws.OkAsync("ecs", "update-service", "--service", "pg-web", "--desired-count", "0");
        await Eventually.TrueAsync(async () => await RunningAsync(aws) == 0, 120);
    }

    private static async Task<int> RunningAsync(AwsCli aws) =>
        (await aws.OkAsync("ecs", "describe-services", "--services", "pg-web")).GetProperty("services")[0].GetProperty("runningCount").GetInt32();

    [Fact]
    public async Task A_store_that_is_not_a_postgres_URL_is_refused()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GantryProcess.StartAsync("server", extraArguments: ["--store", "mysql://db/state"]));

        Assert.Contains("--store: expected postgres://", refused.Message, StringComparison.Ordinal);
    }
}
