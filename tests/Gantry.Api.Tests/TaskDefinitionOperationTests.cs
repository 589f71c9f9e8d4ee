using System.Text.Json;

namespace Gantry.Api.Tests;

/// <summary>Task definition revisions, lookups and listing over the wire.</summary>
public sealed class TaskDefinitionOperationTests : IClassFixture<ApiTestHost>
{
    private readonly ApiTestHost _host;

    public TaskDefinitionOperationTests(ApiTestHost host) => _host = host;

    private static string Definition(string family, int memory = 64) =>
        $$"""{"family":"{{family}}","containerDefinitions":[{"name":"app","image":"busybox","memory":{{memory}}}]}""";

    [Fact]
    public async Task Revisions_count_up_per_family_and_concurrent_registrations_get_distinct_revisions()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _host.CallAsync("RegisterTaskDefinition", Definition("race"))));
        Assert.All(results, r => Assert.Equal(200, r.Status));
        var revisions = results.Select(r => r.Body.GetProperty("taskDefinition").GetProperty("revision").GetInt32()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 12), revisions);
    }

    [Fact]
    public async Task Describe_by_family_returns_the_newest_active_revision()
    {
        for (var i = 0; i < 3; i++)
        {
            await _host.CallAsync("RegisterTaskDefinition", Definition("newest", 64 + i));
        }
        await _host.CallAsync("DeregisterTaskDefinition", """{"taskDefinition":"newest:3"}""");
        var (_, body) = await _host.CallAsync("DescribeTaskDefinition", """{"taskDefinition":"newest"}""");
        Assert.Equal(2, body.GetProperty("taskDefinition").GetProperty("revision").GetInt32());
        var (_, byArn) = await _host.CallAsync("DescribeTaskDefinition",
            """{"taskDefinition":"arn:aws:ecs:us-east-1:000000000000:task-definition/newest:3"}""");
        Assert.Equal("INACTIVE", byArn.GetProperty("taskDefinition").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Describe_of_a_missing_definition_is_a_ClientException()
    {
        var (status, body) = await _host.CallAsync("DescribeTaskDefinition", """{"taskDefinition":"ghost:1"}""");
        Assert.Equal(400, status);
        Assert.Equal("ClientException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Deregister_needs_a_revision()
    {
        await _host.CallAsync("RegisterTaskDefinition", Definition("needsrev"));
        var (status, body) = await _host.CallAsync("DeregisterTaskDefinition", """{"taskDefinition":"needsrev"}""");
        Assert.Equal(400, status);
        Assert.Equal("ClientException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Tags_are_returned_only_when_included()
    {
        await _host.CallAsync("RegisterTaskDefinition",
            """{"family":"tagged-td","containerDefinitions":[{"name":"app","image":"busybox","memory":64}],"tags":[{"key":"k","value":"v"}]}""");
        var (_, plain) = await _host.CallAsync("DescribeTaskDefinition", """{"taskDefinition":"tagged-td"}""");
        Assert.False(plain.TryGetProperty("tags", out _));
        var (_, withTags) = await _host.CallAsync("DescribeTaskDefinition", """{"taskDefinition":"tagged-td","include":["TAGS"]}""");
        Assert.Equal("v", withTags.GetProperty("tags")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Listing_pages_in_family_then_revision_order_both_ways()
    {
        foreach (var family in new[] { "pg-b", "pg-a", "pg-a-x" })
        {
            for (var i = 0; i < 2; i++)
            {
                await _host.CallAsync("RegisterTaskDefinition", Definition(family));
            }
        }
        var ascending = await ListAllAsync("ASC");
        Assert.Equal(
            ["pg-a:1", "pg-a:2", "pg-a-x:1", "pg-a-x:2", "pg-b:1", "pg-b:2"],
            ascending.Where(a => a.Contains("/pg-", StringComparison.Ordinal)).Select(a => a[(a.IndexOf('/', StringComparison.Ordinal) + 1)..]));
        var descending = await ListAllAsync("DESC");
        Assert.Equal(ascending.AsEnumerable().Reverse(), descending);
    }

    [Fact]
    public async Task Families_filter_by_prefix_and_status()
    {
        await _host.CallAsync("RegisterTaskDefinition", Definition("fam-live"));
        await _host.CallAsync("RegisterTaskDefinition", Definition("fam-gone"));
        await _host.CallAsync("DeregisterTaskDefinition", """{"taskDefinition":"fam-gone:1"}""");
        var (_, active) = await _host.CallAsync("ListTaskDefinitionFamilies", """{"familyPrefix":"fam-","status":"ACTIVE"}""");
        Assert.Equal(["fam-live"], active.GetProperty("families").EnumerateArray().Select(f => f.GetString()));
        var (_, inactive) = await _host.CallAsync("ListTaskDefinitionFamilies", """{"familyPrefix":"fam-","status":"INACTIVE"}""");
        Assert.Equal(["fam-gone"], inactive.GetProperty("families").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Delete_takes_only_inactive_revisions_and_reports_the_rest_as_failures()
    {
        await _host.CallAsync("RegisterTaskDefinition", Definition("doomed"));
        await _host.CallAsync("RegisterTaskDefinition", Definition("doomed"));
        await _host.CallAsync("DeregisterTaskDefinition", """{"taskDefinition":"doomed:2"}""");

        var (status, body) = await _host.CallAsync("DeleteTaskDefinitions", """{"taskDefinitions":["doomed:2","doomed:1","doomed","doomed:9"]}""");

        Assert.Equal(200, status);
        var deleted = Assert.Single(body.GetProperty("taskDefinitions").EnumerateArray());
        Assert.Equal("DELETE_IN_PROGRESS", deleted.GetProperty("status").GetString());
        Assert.Equal(2, deleted.GetProperty("revision").GetInt32());
        var failures = body.GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("arn").GetString()).ToList();
        Assert.Equal(["arn:aws:ecs:us-east-1:000000000000:task-definition/doomed:1", "doomed", "arn:aws:ecs:us-east-1:000000000000:task-definition/doomed:9"], failures);
        var (_, listed) = await _host.CallAsync("ListTaskDefinitions", """{"familyPrefix":"doomed","status":"DELETE_IN_PROGRESS"}""");
        Assert.Single(listed.GetProperty("taskDefinitionArns").EnumerateArray());
    }

    private async Task<List<string>> ListAllAsync(string sort)
    {
        var arns = new List<string>();
        string? token = null;
        do
        {
            var request = JsonSerializer.Serialize(new Dictionary<string, object?> { ["sort"] = sort, ["maxResults"] = 2, ["nextToken"] = token });
            var (status, body) = await _host.CallAsync("ListTaskDefinitions", request.Replace(",\"nextToken\":null", "", StringComparison.Ordinal));
            Assert.Equal(200, status);
            arns.AddRange(body.GetProperty("taskDefinitionArns").EnumerateArray().Select(a => a.GetString()!));
            token = body.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        return arns;
    }
}
