using System.Text;
using System.Xml.Linq;
using Gantry.Api.Front;
using Gantry.Api.Front.Query;
using Gantry.Api.Tests.Front.Query.CloudWatch;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Errors;
using Gantry.Domain.Iam;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Tests.Front.Query;

/// <summary>
/// The awsQuery codec against shapes of the official models (ELBv2, IAM, CloudWatch): form parameters to typed input
/// by the model's list, map, nested-structure, timestamp, boolean and number rules; typed output to the XML AWS answers.
/// </summary>
public sealed class QueryCodecTests
{
    private static readonly QueryTestServices Services = new();
    private static readonly AwsOperationTable Table = Services.Table();
    private static readonly AwsQueryCodec Codec = new(Table);

    [Fact]
    public void Lists_are_Member_member_N_in_order()
    {
        var input = Decode<DescribeLoadBalancersInput>(QueryTestServices.Elbv2,
            "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.2=b&Names.member.1=a&PageSize=5");
        Assert.Equal(["a", "b"], input.Names);
        Assert.Equal(5, input.PageSize);
        Assert.Null(input.LoadBalancerArns);
        Assert.Null(input.Marker);
    }

    [Fact]
    public void An_empty_list_is_the_bare_member_and_a_list_stops_at_its_first_gap()
    {
        var input = Decode<DescribeLoadBalancersInput>(QueryTestServices.Elbv2,
            "Action=DescribeLoadBalancers&Version=2015-12-01&LoadBalancerArns=&Names.member.1=a&Names.member.3=c");
        Assert.Equal([], input.LoadBalancerArns);
        Assert.Equal(["a"], input.Names);
    }

    [Fact]
    public void Nested_structures_lists_maps_timestamps_numbers_and_booleans_bind_by_the_model()
    {
        var input = Decode<PutMetricDataInput>(QueryTestServices.CloudWatch, string.Join('&',
            "Action=PutMetricData", "Version=2010-08-01", "Namespace=App%2FWeb",
            "MetricData.member.1.MetricName=Latency",
            "MetricData.member.1.Dimensions.member.1.Name=Host", "MetricData.member.1.Dimensions.member.1.Value=a+b",
            "MetricData.member.1.Timestamp=2024-01-02T03%3A04%3A05.678Z",
            "MetricData.member.1.Value=1.5", "MetricData.member.1.StatisticValues.SampleCount=2",
            "MetricData.member.1.Values.member.1=1", "MetricData.member.1.Values.member.2=-2.5e3",
            "MetricData.member.1.StorageResolution=60",
            "EntityMetricData.member.1.Entity.KeyAttributes.entry.1.key=Type",
            "EntityMetricData.member.1.Entity.KeyAttributes.entry.1.value=Service",
            "EntityMetricData.member.1.Entity.KeyAttributes.entry.2.key=Name",
            "EntityMetricData.member.1.Entity.KeyAttributes.entry.2.value=web",
            "StrictEntityValidation=true"));
        Assert.Equal("App/Web", input.Namespace);
        var datum = Assert.Single(input.MetricData!);
        Assert.Equal("Latency", datum.MetricName);
        Assert.Equal(new Dimension { Name = "Host", Value = "a b" }, Assert.Single(datum.Dimensions!));
        Assert.Equal(QueryTestServices.Created, datum.Timestamp);
        Assert.Equal(1.5, datum.Value);
        Assert.Equal(2, datum.StatisticValues!.SampleCount);
        Assert.Null(datum.StatisticValues.Sum);
        Assert.Equal([1, -2500], datum.Values);
        Assert.Equal(60, datum.StorageResolution);
        Assert.Equal(new Dictionary<string, string> { ["Type"] = "Service", ["Name"] = "web" }, Assert.Single(input.EntityMetricData!).Entity!.KeyAttributes);
        Assert.True(input.StrictEntityValidation);
    }

    [Fact]
    public void Flattened_lists_and_maps_renamed_members_and_epoch_timestamps_follow_their_traits()
    {
        var input = Decode<TraitShapes>(QueryTestServices.Traits, string.Join('&',
            "Action=Echo", "Version=2020-01-01", "Flat.1=x", "Flat.2=y", "Other.item.1=7", "Renamed.member.1=8",
            "FlatMap.1.Name=inner", "FlatMap.1.Setting.Enabled=false", "FlatMap.1.Setting.Flat.1=z",
            "Epoch=1704164645.678", "Blob=aGk%3D", "Large=9007199254740993"));
        Assert.Equal(["x", "y"], input.Flat);
        Assert.Equal([7], input.Renamed);
        var inner = Assert.Single(input.FlatMap!);
        Assert.Equal("inner", inner.Key);
        Assert.False(inner.Value.Enabled);
        Assert.Equal(["z"], inner.Value.Flat);
        Assert.Equal(QueryTestServices.Created, input.Epoch);
        Assert.Equal("hi"u8.ToArray(), input.Blob);
        Assert.Equal(9007199254740993L, input.Large);
    }

    [Theory]
    [InlineData("PageSize=ten", "Value 'ten' at 'PageSize' failed to satisfy constraint: Member must be an integer")]
    [InlineData("PageSize=99999999999", "Value '99999999999' at 'PageSize' failed to satisfy constraint: Member must be an integer")]
    [InlineData("Names.member.1.x=a", "Value '' at 'Names.member.1' failed to satisfy constraint")]
    public void A_malformed_member_is_a_ValidationError_naming_it(string parameter, string expected)
    {
        var error = Assert.Throws<AwsException>(() => Decode<DescribeLoadBalancersInput>(QueryTestServices.Elbv2,
            "Action=DescribeLoadBalancers&Version=2015-12-01&" + parameter));
        Assert.Equal("ValidationError", error.Type);
        Assert.StartsWith("1 validation error detected: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StrictEntityValidation=yes", "StrictEntityValidation", "a boolean")]
    [InlineData("MetricData.member.1.Timestamp=yesterday", "MetricData.member.1.Timestamp", "an ISO 8601 timestamp")]
    [InlineData("MetricData.member.1.Value=1%2C5", "MetricData.member.1.Value", "a number")]
    [InlineData("EntityMetricData.member.1.Entity.KeyAttributes.entry.1.value=x", "EntityMetricData.member.1.Entity.KeyAttributes.entry.1.key", "not be null")]
    public void Malformed_booleans_timestamps_numbers_and_map_entries_are_ValidationErrors(string parameter, string member, string must)
    {
        var error = Assert.Throws<AwsException>(() => Decode<PutMetricDataInput>(QueryTestServices.CloudWatch,
            "Action=PutMetricData&Version=2010-08-01&Namespace=n&" + parameter));
        Assert.Equal("ValidationError", error.Type);
        Assert.Contains($"at '{member}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(must, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recursive_shapes_nest_at_most_MaxDepth_and_long_dotted_names_cost_no_more_than_their_length()
    {
        var deep = string.Concat(Enumerable.Repeat("FlatMap.1.Setting.", 40));
        var keys = string.Concat(Enumerable.Range(1, 40).Select(level =>
            $"&{string.Concat(Enumerable.Repeat("FlatMap.1.Setting.", level - 1))}FlatMap.1.Name=k"));
        var error = Assert.Throws<AwsException>(() => Decode<TraitShapes>(QueryTestServices.Traits,
            $"Action=Echo&Version=2020-01-01{keys}&{deep}Enabled=true"));
        Assert.Equal("ValidationError", error.Type);
        Assert.Contains($"must not nest deeper than {AwsQueryCodec.MaxNesting} levels", error.Message, StringComparison.Ordinal);

        var dots = string.Concat(Enumerable.Repeat("Flat.", 200_000));
        var input = Decode<TraitShapes>(QueryTestServices.Traits, $"Action=Echo&Version=2020-01-01&{dots}1=x&Flat.1=y");
        Assert.Equal(["y"], input.Flat);
    }

    [Theory]
    [InlineData("Version=2015-12-01", "MissingAction", "Missing Action")]
    [InlineData("Action=&Version=2015-12-01", "MissingAction", "Missing Action")]
    [InlineData("Action=CreateLoadBalancer&Version=2015-12-01", "InvalidAction", "Could not find operation CreateLoadBalancer for version 2015-12-01")]
    [InlineData("Action=DescribeLoadBalancers&Version=2012-06-01", "InvalidAction", "Could not find operation DescribeLoadBalancers for version 2012-06-01")]
    [InlineData("Action=DescribeLoadBalancers", "InvalidAction", "Could not find operation DescribeLoadBalancers for version NO_VERSION_SPECIFIED")]
    [InlineData("Action=ListUsers&Version=2015-12-01", "InvalidAction", "Could not find operation ListUsers for version 2015-12-01")]
    public void Action_and_Version_must_name_an_operation_of_the_scoped_service(string form, string code, string message)
    {
        var error = Assert.Throws<AwsException>(() => Decode<DescribeLoadBalancersInput>(QueryTestServices.Elbv2, form));
        Assert.Equal((code, message), (error.Type, error.Message));
    }

    [Fact]
    public async Task Output_is_XxxResponse_with_XxxResult_and_the_request_id_in_the_service_namespace()
    {
        var output = new DescribeLoadBalancersOutput
        {
            LoadBalancers =
            [
                new LoadBalancer
                {
                    LoadBalancerName = "a", CreatedTime = QueryTestServices.Created, State = new LoadBalancerState { Code = "active" },
                    AvailabilityZones = [new AvailabilityZone { ZoneName = "us-east-1a", LoadBalancerAddresses = [] }],
                    SecurityGroups = ["sg-1", "sg-2"],
                },
            ],
        };
        var (status, contentType, xml) = await WriteAsync(QueryTestServices.Elbv2, "DescribeLoadBalancers", output);
        XNamespace ns = QueryTestServices.Elbv2.XmlNamespace!;
        Assert.Equal((200, "text/xml"), (status, contentType));
        Assert.Equal(ns + "DescribeLoadBalancersResponse", xml.Root!.Name);
        var result = xml.Root.Element(ns + "DescribeLoadBalancersResult")!;
        var balancer = Assert.Single(result.Element(ns + "LoadBalancers")!.Elements());
        Assert.Equal(ns + "member", balancer.Name);
        Assert.Equal("a", balancer.Element(ns + "LoadBalancerName")!.Value);
        Assert.Equal("2024-01-02T03:04:05.678Z", balancer.Element(ns + "CreatedTime")!.Value);
        Assert.Equal("active", balancer.Element(ns + "State")!.Element(ns + "Code")!.Value);
        Assert.Equal(["sg-1", "sg-2"], balancer.Element(ns + "SecurityGroups")!.Elements(ns + "member").Select(e => e.Value));
        var zone = Assert.Single(balancer.Element(ns + "AvailabilityZones")!.Elements(ns + "member"));
        Assert.True(zone.Element(ns + "LoadBalancerAddresses")!.IsEmpty);
        Assert.Null(balancer.Element(ns + "DNSName"));
        Assert.Null(result.Element(ns + "NextMarker"));
        Assert.Equal("req-1", xml.Root.Element(ns + "ResponseMetadata")!.Element(ns + "RequestId")!.Value);
    }

    [Fact]
    public async Task Maps_are_entries_of_key_and_value_and_numbers_and_booleans_are_invariant()
    {
        var (_, _, summary) = await WriteAsync(QueryTestServices.Iam, "GetAccountSummary",
            new GetAccountSummaryResponse { SummaryMap = new Dictionary<string, int> { ["Users"] = 3 } });
        XNamespace iam = QueryTestServices.Iam.XmlNamespace!;
        var entry = Assert.Single(summary.Root!.Element(iam + "GetAccountSummaryResult")!.Element(iam + "SummaryMap")!.Elements(iam + "entry"));
        Assert.Equal(("Users", "3"), (entry.Element(iam + "key")!.Value, entry.Element(iam + "value")!.Value));

        var (_, _, users) = await WriteAsync(QueryTestServices.Iam, "ListUsers", new ListUsersResponse { Users = [], IsTruncated = false });
        var result = users.Root!.Element(iam + "ListUsersResult")!;
        Assert.True(result.Element(iam + "Users")!.IsEmpty);
        Assert.Equal("false", result.Element(iam + "IsTruncated")!.Value);

        var (_, _, statistics) = await WriteAsync(QueryTestServices.CloudWatch, "GetMetricStatistics", new GetMetricStatisticsOutput
        {
            Datapoints = [new Datapoint { Average = 0.1, Maximum = double.PositiveInfinity, ExtendedStatistics = new Dictionary<string, double> { ["p99"] = 1e21 } }],
        });
        XNamespace cw = QueryTestServices.CloudWatch.XmlNamespace!;
        var point = statistics.Root!.Element(cw + "GetMetricStatisticsResult")!.Element(cw + "Datapoints")!.Element(cw + "member")!;
        Assert.Equal(("0.1", "Infinity"), (point.Element(cw + "Average")!.Value, point.Element(cw + "Maximum")!.Value));
        Assert.Equal("1E+21", point.Element(cw + "ExtendedStatistics")!.Element(cw + "entry")!.Element(cw + "value")!.Value);
    }

    [Fact]
    public async Task Flattened_and_renamed_members_are_written_by_their_traits()
    {
        var (_, _, xml) = await WriteAsync(QueryTestServices.Traits, "Echo", new TraitShapes
        {
            Flat = ["x", "y"],
            Renamed = [7],
            FlatMap = new Dictionary<string, TraitShapes> { ["inner"] = new() { Enabled = true } },
            Epoch = QueryTestServices.Created,
        });
        XNamespace ns = QueryTestServices.Traits.XmlNamespace!;
        var result = xml.Root!.Element(ns + "EchoResult")!;
        Assert.Equal(["x", "y"], result.Elements(ns + "Flat").Select(e => e.Value));
        Assert.Equal("7", result.Element(ns + "Other")!.Element(ns + "item")!.Value);
        var entry = result.Element(ns + "FlatMap")!;
        Assert.Equal("inner", entry.Element(ns + "Name")!.Value);
        Assert.Equal("true", entry.Element(ns + "Setting")!.Element(ns + "Enabled")!.Value);
        Assert.Equal("1704164645.678", result.Element(ns + "Epoch")!.Value);
    }

    [Fact]
    public async Task An_operation_without_output_answers_only_its_response_metadata()
    {
        var (status, _, xml) = await WriteAsync(QueryTestServices.CloudWatch, "PutMetricData", null);
        XNamespace ns = QueryTestServices.CloudWatch.XmlNamespace!;
        Assert.Equal(200, status);
        Assert.Equal([ns + "ResponseMetadata"], xml.Root!.Elements().Select(e => e.Name));
    }

    [Theory]
    [InlineData("LoadBalancerNotFoundException", 400, "Sender", "LoadBalancerNotFound")]
    [InlineData("ALPNPolicyNotSupportedException", 400, "Sender", "ALPNPolicyNotFound")]
    [InlineData("ValidationError", 400, "Sender", "ValidationError")]
    [InlineData("ServerException", 500, "Receiver", "InternalFailure")]
    [InlineData("UnrecognizedClientException", 403, "Sender", "InvalidClientTokenId")]
    [InlineData("InvalidSignatureException", 403, "Sender", "SignatureDoesNotMatch")]
    [InlineData("ThrottlingException", 400, "Sender", "Throttling")]
    public async Task Errors_are_ErrorResponse_with_Type_Code_Message_and_RequestId(string type, int status, string fault, string code)
    {
        var context = Context("POST", "");
        context.Request.Headers.Authorization = "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=00";
        await Codec.WriteErrorAsync(context, new AwsException(type, "what went wrong"), "req-2");
        var xml = Read(context);
        XNamespace ns = QueryTestServices.Elbv2.XmlNamespace!;
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(ns + "ErrorResponse", xml.Root!.Name);
        var error = xml.Root.Element(ns + "Error")!;
        Assert.Equal((fault, code, "what went wrong"),
            (error.Element(ns + "Type")!.Value, error.Element(ns + "Code")!.Value, error.Element(ns + "Message")!.Value));
        Assert.Equal("req-2", xml.Root.Element(ns + "RequestId")!.Value);
    }

    [Fact]
    public void A_service_whose_shapes_awsQuery_cannot_carry_fails_at_start_up()
    {
        var table = new AwsOperationTable.Builder()
            .Service(AwsService.Query("Documents", "documents", "2020-01-01", "https://documents.example/"))
            .Map<WithDocument, WithDocument>("Documents", "Echo", (r, _, _) => Task.FromResult(r))
            .Build();
        var error = Assert.Throws<NotSupportedException>(() => new AwsQueryCodec(table));
        Assert.Contains("WithDocument", error.Message, StringComparison.Ordinal);
    }

    public sealed record WithDocument
    {
        public System.Text.Json.JsonElement? Document { get; init; }
    }

    private static TInput Decode<TInput>(AwsService service, string form)
    {
        var context = Context("POST", form);
        var (operation, input) = Codec.Decode(context.Request, new AwsRoute(service, null, 1 << 20), Encoding.UTF8.GetBytes(form));
        Assert.Equal(service, operation.Service);
        return Assert.IsType<TInput>(input);
    }

    private static async Task<(int Status, string? ContentType, XDocument Xml)> WriteAsync(AwsService service, string action, object? output)
    {
        Assert.True(Table.TryGet(service, action, out var operation));
        var context = Context("POST", "");
        await Codec.WriteResultAsync(context, operation, output, "req-1", CancellationToken.None);
        return (context.Response.StatusCode, context.Response.ContentType, Read(context));
    }

    private static DefaultHttpContext Context(string method, string form)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.ContentType = "application/x-www-form-urlencoded; charset=utf-8";
        context.Request.ContentLength = form.Length;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static XDocument Read(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return XDocument.Load(context.Response.Body);
    }
}
