using System.Xml.Linq;

namespace Gantry.Api.Tests.Front.Query;

/// <summary>
/// awsQuery through the real front door with real SigV4: routed by the credential scope's service and <c>Action</c>,
/// POST bodies and GET queries, AWS's XML errors for what is refused, and AWS JSON still answered beside it.
/// </summary>
public sealed class QueryFrontDoorTests(QueryTestServer server) : IClassFixture<QueryTestServer>
{
    private static readonly XNamespace Elbv2 = QueryTestServices.Elbv2.XmlNamespace!;

    [Fact]
    public async Task A_signed_form_POST_runs_the_Action_of_the_service_its_scope_names()
    {
        var (status, body) = await server.SendAsync("Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=a&Names.member.2=b", "elasticloadbalancing");
        Assert.Equal(200, status);
        var names = XDocument.Parse(body).Descendants(Elbv2 + "LoadBalancerName").Select(e => e.Value);
        Assert.Equal(["a", "b"], names);
    }

    [Fact]
    public async Task A_signed_GET_carries_the_same_parameters_in_its_query()
    {
        var (status, body) = await server.SendAsync("Action=ListUsers&Version=2010-05-08&MaxItems=10", "iam", HttpMethod.Get);
        Assert.Equal(200, status);
        XNamespace iam = QueryTestServices.Iam.XmlNamespace!;
        Assert.Equal("alice", XDocument.Parse(body).Descendants(iam + "UserName").Single().Value);
        Assert.Equal(10, Assert.IsType<Gantry.Domain.Iam.ListUsersRequest>(server.Services.LastInput).MaxItems);
    }

    [Fact]
    public async Task The_same_Action_is_unknown_to_a_service_that_has_not_got_it()
    {
        var (status, body) = await server.SendAsync("Action=DescribeLoadBalancers&Version=2015-12-01", "iam");
        AssertError(status, body, 400, "InvalidAction", "Could not find operation DescribeLoadBalancers for version 2015-12-01", QueryTestServices.Iam.XmlNamespace!);
    }

    [Theory]
    [InlineData("Version=2015-12-01", "MissingAction", "Missing Action")]
    [InlineData("Action=Nope&Version=2015-12-01", "InvalidAction", "Could not find operation Nope for version 2015-12-01")]
    [InlineData("Action=DescribeLoadBalancers&Version=2015-12-01&PageSize=x",
        "ValidationError", "1 validation error detected: Value 'x' at 'PageSize' failed to satisfy constraint: Member must be an integer")]
    [InlineData("Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=missing", "LoadBalancerNotFound", "One or more load balancers not found")]
    [InlineData("Action=DescribeLoadBalancers&Version=2015-12-01&PageSize=a%00b",
        "ValidationError", "1 validation error detected: Value 'a\uFFFDb' at 'PageSize' failed to satisfy constraint: Member must be an integer")]
    public async Task Refusals_are_400_Sender_ErrorResponses(string form, string code, string message)
    {
        var (status, body) = await server.SendAsync(form, "elasticloadbalancing");
        AssertError(status, body, 400, code, message, Elbv2.NamespaceName);
    }

    [Fact]
    public async Task A_modelled_error_goes_out_with_its_awsQueryError_code_and_status()
    {
        var (status, body) = await server.SendAsync("Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fmissing%2F", "iam");
        AssertError(status, body, 404, "NoSuchEntity", "The path /missing/ cannot be found.", QueryTestServices.Iam.XmlNamespace!);
    }

    [Fact]
    public async Task A_handler_fault_is_a_500_Receiver_InternalFailure()
    {
        var (status, body) = await server.SendAsync("Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=boom", "elasticloadbalancing");
        var error = AssertError(status, body, 500, "InternalFailure", null, Elbv2.NamespaceName);
        Assert.Equal("Receiver", error.Element(Elbv2 + "Type")!.Value);
    }

    [Fact]
    public async Task An_unsigned_request_is_MissingAuthenticationToken()
    {
        var (status, body) = await server.SendAsync("Action=DescribeLoadBalancers&Version=2015-12-01", service: null);
        AssertError(status, body, 403, "MissingAuthenticationToken", "Missing Authentication Token", "");
    }

    [Fact]
    public async Task A_scope_naming_no_awsQuery_service_is_refused_before_the_body()
    {
        var (status, body) = await server.SendAsync("Action=DescribeLoadBalancers&Version=2015-12-01", "sqs");
        AssertError(status, body, 403, "SignatureDoesNotMatch", "Credential should be scoped to a valid service, not 'sqs'.", "");
    }

    [Fact]
    public async Task AWS_JSON_is_still_answered_beside_awsQuery()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
        {
            Content = new StringContent("""{"Enabled": true}""", System.Text.Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", $"{QueryTestServices.JsonPrefix}.Echo");
        new Gantry.Auth.SigV4.SigV4Signer(QueryTestServer.AccessKeyId, QueryTestServer.Secret, "us-east-1", "queryjsontest", TimeProvider.System)
            .Sign(request, """{"Enabled": true}"""u8);
        using var response = await server.Http.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""{"Enabled":true}""", await response.Content.ReadAsStringAsync());
    }

    private static XElement AssertError(int status, string body, int expectedStatus, string code, string? message, string xmlNamespace)
    {
        Assert.Equal(expectedStatus, status);
        var xml = XDocument.Parse(body);
        XNamespace ns = xmlNamespace;
        Assert.Equal(ns + "ErrorResponse", xml.Root!.Name);
        var error = xml.Root.Element(ns + "Error")!;
        Assert.Equal(code, error.Element(ns + "Code")!.Value);
        if (message is not null)
        {
            Assert.Equal(message, error.Element(ns + "Message")!.Value);
        }
        Assert.False(string.IsNullOrEmpty(xml.Root.Element(ns + "RequestId")!.Value));
        return error;
    }
}
