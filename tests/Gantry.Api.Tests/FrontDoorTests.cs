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

    [Theory]
    [InlineData("""{"cluster":"c","taskDefinition":"f","count":"two"}""", "Invalid value for member 'count': expected an integer.")]
    [InlineData("""{"cluster":"c","taskDefinition":"f","enableECSManagedTags":"yes"}""", "Invalid value for member 'enableECSManagedTags': expected a boolean.")]
    [InlineData("""{"cluster":"c","taskDefinition":"f","capacityProviderStrategy":{"capacityProvider":"FARGATE"}}""",
        "Invalid value for member 'capacityProviderStrategy': expected a list (a JSON array).")]
    [InlineData("""{"cluster":"c","taskDefinition":"f","networkConfiguration":[1]}""", "Invalid value for member 'networkConfiguration': expected a structure (a JSON object).")]
    [InlineData("""{"cluster":"c","taskDefinition":7}""", "Invalid value for member 'taskDefinition': expected a string.")]
    [InlineData("[1,2,3]", "Malformed JSON request body: the request body must be a structure (a JSON object).")]
    public async Task Wrong_types_are_named_in_the_wire_s_terms_not_NET_s(string request, string message)
    {
        var before = _host.Store.CurrentRevision;
        var (status, body) = await _host.CallAsync("RunTask", request);
        Assert.Equal(400, status);
        Assert.Equal("SerializationException", body.GetProperty("__type").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Equal(before, _host.Store.CurrentRevision);
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
