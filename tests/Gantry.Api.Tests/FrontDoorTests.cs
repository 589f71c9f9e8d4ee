namespace Gantry.Api.Tests;

/// <summary>The AWS JSON 1.1 front door: dispatch, AWS error shapes, limits; bad input changes nothing.</summary>
public sealed class FrontDoorTests : IClassFixture<ApiTestHost>
{
    private readonly ApiTestHost _host;

    public FrontDoorTests(ApiTestHost host) => _host = host;

    [Fact]
    public async Task Unknown_target_is_a_400_UnknownOperationException()
    {
        var (status, body) = await _host.CallAsync("LaunchRockets", "{}");
        Assert.Equal(400, status);
        Assert.Equal("UnknownOperationException", body.GetProperty("__type").GetString());
        Assert.Contains("LaunchRockets", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_SerializationException_and_changes_nothing()
    {
        var before = _host.Store.CurrentRevision;
        var (status, body) = await _host.CallAsync("CreateCluster", """{"clusterName": "x" """);
        Assert.Equal(400, status);
        Assert.Equal("SerializationException", body.GetProperty("__type").GetString());
        Assert.Equal(before, _host.Store.CurrentRevision);
    }

    [Fact]
    public async Task Wrong_member_type_names_the_member()
    {
        var (status, body) = await _host.CallAsync("RegisterTaskDefinition",
            """{"family":"f","containerDefinitions":[{"name":"a","image":"i","memory":"lots"}]}""");
        Assert.Equal(400, status);
        Assert.Equal("SerializationException", body.GetProperty("__type").GetString());
        Assert.Contains("containerDefinitions[0].memory", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_body_is_refused()
    {
        var huge = $$"""{"clusterName":"{{new string('a', 3 * 1024 * 1024)}}"}""";
        var (status, body) = await _host.CallAsync("CreateCluster", huge);
        Assert.Equal(400, status);
        Assert.Equal("SerializationException", body.GetProperty("__type").GetString());
        Assert.Contains("limit", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_content_type_is_refused()
    {
        var (status, body) = await _host.CallAsync("ListClusters", "{}", contentType: "text/plain");
        Assert.Equal(400, status);
        Assert.Contains("Content-Type", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_body_is_an_empty_input()
    {
        var (status, body) = await _host.CallAsync("ListClusters", "");
        Assert.Equal(200, status);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, body.GetProperty("clusterArns").ValueKind);
    }

    [Fact]
    public async Task Error_for_a_missing_cluster_is_ClusterNotFoundException()
    {
        var (status, body) = await _host.CallAsync("DeleteCluster", """{"cluster":"nope"}""");
        Assert.Equal(400, status);
        Assert.Equal("ClusterNotFoundException", body.GetProperty("__type").GetString());
    }
}
