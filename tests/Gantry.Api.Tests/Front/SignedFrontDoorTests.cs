using System.Text;
using Gantry.Api.Front;
using Gantry.Auth.SigV4;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Api.Tests.Front;

/// <summary>
/// The front door with real SigV4 (issue 12 items 2–6): the scope must name this region and the target's service,
/// the body's hash is always signed, the target and content type are signed, nothing of a body is read before its
/// headers pass, and a truncated body is the caller's 400.
/// </summary>
public sealed class SignedFrontDoorTests : IClassFixture<SignedApiTestHost>
{
    private const string Ecs = "AmazonEC2ContainerServiceV20141113";
    private const string Ecr = "AmazonEC2ContainerRegistry_V20150921";
    private const string Logs = "Logs_20140328";
    private static readonly string[] AllSigned = ["content-type", "host", "x-amz-date", "x-amz-target"];
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SignedApiTestHost _host;

    public SignedFrontDoorTests(SignedApiTestHost host) => _host = host;

    [Theory]
    [InlineData(Ecs + ".ListClusters", "ecs")]
    [InlineData(Ecr + ".DescribeRepositories", "ecr")]
    [InlineData(Logs + ".DescribeLogGroups", "logs")]
    public async Task A_call_signed_for_its_service_in_this_region_succeeds(string target, string service)
    {
        var response = await CallAsync(target, "{}", service: service);
        Assert.Equal(200, response.Status);
    }

    [Theory]
    [InlineData("eu-west-9", "s3", Ecs, "Credential should be scoped to a valid region, not 'eu-west-9'. Credential should be scoped to correct service: 'ecs'.")]
    [InlineData("us-east-1", "ecr", Ecs, "Credential should be scoped to correct service: 'ecs'.")]
    [InlineData("us-east-1", "ecs", Ecr, "Credential should be scoped to correct service: 'ecr'.")]
    [InlineData("eu-west-1", "logs", Logs, "Credential should be scoped to a valid region, not 'eu-west-1'.")]
    public async Task A_scope_for_another_region_or_service_is_refused_and_changes_nothing(string region, string service, string prefix, string message)
    {
        var before = _host.Store.CurrentRevision;
        var body = prefix == Logs ? """{"logGroupName":"/scoped"}""" : """{"repositoryName":"scoped","clusterName":"scoped"}""";
        var target = prefix == Logs ? $"{prefix}.CreateLogGroup" : prefix == Ecr ? $"{prefix}.CreateRepository" : $"{prefix}.CreateCluster";
        var response = await CallAsync(target, body, region: region, service: service);
        Assert.Equal((400, "InvalidSignatureException", message), (response.Status, response.ErrorType, response.Message));
        Assert.Equal(before, _host.Store.CurrentRevision);
    }

    [Fact]
    public async Task Unsigned_payload_with_a_swapped_body_creates_no_cluster()
    {
        // Signed "for" {"clusterName":"signed-name"} with UNSIGNED-PAYLOAD, so the body is outside the signature; then swapped.
        var before = _host.Store.CurrentRevision;
        var headers = RawHttpClient.SignedHeaders(_host.Endpoint, _host.Key, $"{Ecs}.CreateCluster", [.. AllSigned, "x-amz-content-sha256"],
            SigV4Canonical.UnsignedPayload);
        var response = await SendAsync(headers, """{"clusterName":"swapped-name"}""");
        Assert.Equal((400, "InvalidSignatureException"), (response.Status, response.ErrorType));
        Assert.Equal(before, _host.Store.CurrentRevision);
    }

    [Fact]
    public async Task A_request_signed_without_its_target_cannot_be_replayed_as_another_operation()
    {
        const string stream = """{"logGroupName":"/replay","logStreamName":"kept"}""";
        Assert.Equal(200, (await CallAsync($"{Logs}.CreateLogGroup", """{"logGroupName":"/replay"}""", service: "logs")).Status);
        Assert.Equal(200, (await CallAsync($"{Logs}.CreateLogStream", stream, service: "logs")).Status);

        // A GetLogEvents signed over host;x-amz-date;content-type only, replayed as DeleteLogStream (same body shape).
        var headers = RawHttpClient.SignedHeaders(_host.Endpoint, _host.Key, $"{Logs}.GetLogEvents", ["content-type", "host", "x-amz-date"],
            SigV4Canonical.Sha256Hex(Encoding.UTF8.GetBytes(stream)), service: "logs");
        headers["x-amz-target"] = $"{Logs}.DeleteLogStream";
        var response = await SendAsync(headers, stream);

        Assert.Equal((400, "InvalidSignatureException", "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."),
            (response.Status, response.ErrorType, response.Message));
        var streams = await CallAsync($"{Logs}.DescribeLogStreams", """{"logGroupName":"/replay"}""", service: "logs");
        Assert.Contains("\"kept\"", streams.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_28_MiB_body_is_refused_before_a_byte_of_it_is_sent()
    {
        await using var client = await RawHttpClient.ConnectAsync(_host.Endpoint);
        await client.SendHeadAsync(new Dictionary<string, string>
        {
            ["host"] = _host.Endpoint.Authority,
            ["content-type"] = "application/x-amz-json-1.1",
            ["x-amz-target"] = $"{Ecr}.UploadLayerPart",
        }, AwsJsonLimits.MaxLayerPartBodyBytes);

        var response = await client.ReadResponseAsync(Bound);

        Assert.Equal((400, "MissingAuthenticationTokenException"), (response.Status, response.ErrorType));
        Assert.Equal("close", response.Headers["connection"]);
    }

    [Fact]
    public async Task Bodies_beyond_the_budget_wait_then_are_throttled_and_the_budget_comes_back()
    {
        var budget = _host.Services.GetRequiredService<RequestBodyBudget>();
        // A previous test's bodies are given back when its connections close, which a loaded machine may not have done yet.
        await Eventually.TrueAsync(() => Task.FromResult(budget.Available == AwsJsonLimits.MaxBodyBytesInFlight));
        var holders = new List<RawHttpClient>();
        try
        {
            // Two signed layer parts whose bodies never come hold 2 × 28 MiB of the 64 MiB budget.
            for (var i = 0; i < 2; i++)
            {
                var holder = await RawHttpClient.ConnectAsync(_host.Endpoint);
                holders.Add(holder);
                await holder.SendHeadAsync(LayerPartHeaders(), AwsJsonLimits.MaxLayerPartBodyBytes);
            }
            await Eventually.TrueAsync(() => Task.FromResult(budget.Available == AwsJsonLimits.MaxBodyBytesInFlight - 2L * AwsJsonLimits.MaxLayerPartBodyBytes));

            await using var third = await RawHttpClient.ConnectAsync(_host.Endpoint);
            await third.SendHeadAsync(LayerPartHeaders(), AwsJsonLimits.MaxLayerPartBodyBytes);
            var response = await third.ReadResponseAsync(Bound);
            Assert.Equal((400, "ThrottlingException", "Rate exceeded"), (response.Status, response.ErrorType, response.Message));
        }
        finally
        {
            foreach (var holder in holders)
            {
                await holder.DisposeAsync();
            }
        }
        await Eventually.TrueAsync(() => Task.FromResult(budget.Available == AwsJsonLimits.MaxBodyBytesInFlight));
    }

    [Fact]
    public async Task A_body_ended_before_its_content_length_is_never_a_500_and_changes_nothing()
    {
        var before = _host.Store.CurrentRevision;
        await using var client = await SendShortOfContentLengthAsync("truncated");
        client.EndSending();

        // Kestrel may close or reset a connection whose client closed mid-body before the answer gets through; if one does, it is a 400.
        try
        {
            var response = await client.ReadResponseAsync(Bound);
            Assert.Equal((400, "SerializationException"), (response.Status, response.ErrorType));
            Assert.Contains("Content-Length", response.Message, StringComparison.Ordinal);
        }
        catch (IOException)
        {
        }
        Assert.Equal(before, _host.Store.CurrentRevision);
    }

    [Fact]
    public async Task A_body_that_stops_arriving_is_a_400_not_a_500()
    {
        var before = _host.Store.CurrentRevision;
        await using var client = await SendShortOfContentLengthAsync("stalled");

        var response = await client.ReadResponseAsync(Bound);

        Assert.Equal((400, "SerializationException"), (response.Status, response.ErrorType));
        Assert.Equal(before, _host.Store.CurrentRevision);
    }

    /// <summary>A signed CreateCluster whose Content-Length promises 100 bytes more than are sent.</summary>
    private async Task<RawHttpClient> SendShortOfContentLengthAsync(string clusterName)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"clusterName":"{{clusterName}}"}""");
        var client = await RawHttpClient.ConnectAsync(_host.Endpoint);
        await client.SendHeadAsync(RawHttpClient.SignedHeaders(_host.Endpoint, _host.Key, $"{Ecs}.CreateCluster", AllSigned, SigV4Canonical.Sha256Hex(body)), body.Length + 100);
        await client.SendAsync(body);
        return client;
    }

    private Dictionary<string, string> LayerPartHeaders() =>
        RawHttpClient.SignedHeaders(_host.Endpoint, _host.Key, $"{Ecr}.UploadLayerPart", AllSigned, SigV4Canonical.Sha256Hex([]), service: "ecr");

    private Task<RawResponse> CallAsync(string target, string body, string region = "us-east-1", string service = "ecs") =>
        SendAsync(RawHttpClient.SignedHeaders(_host.Endpoint, _host.Key, target, AllSigned, SigV4Canonical.Sha256Hex(Encoding.UTF8.GetBytes(body)), region, service), body);

    private async Task<RawResponse> SendAsync(Dictionary<string, string> headers, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        await using var client = await RawHttpClient.ConnectAsync(_host.Endpoint);
        await client.SendHeadAsync(headers, bytes.Length);
        await client.SendAsync(bytes);
        return await client.ReadResponseAsync(Bound);
    }
}
