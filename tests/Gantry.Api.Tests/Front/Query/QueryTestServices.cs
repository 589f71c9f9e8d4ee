using Gantry.Api.Front;
using Gantry.Api.Tests.Front.Query.CloudWatch;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Errors;
using Gantry.Domain.Iam;

namespace Gantry.Api.Tests.Front.Query;

/// <summary>
/// awsQuery services for tests only, over the official models' shapes (tools/shapegen): ELBv2 DescribeLoadBalancers,
/// IAM ListUsers and GetAccountSummary, CloudWatch PutMetricData and GetMetricStatistics, plus <see cref="TraitShapes"/>
/// for the XML traits none of those models uses, and one AWS JSON service beside them. Handlers answer fixed data and
/// keep the last input they were given.
/// </summary>
public sealed class QueryTestServices
{
    public const string JsonPrefix = "QueryTestJson_20200101";

    public static readonly AwsService Elbv2 = AwsService.Query(Elbv2Model.Name, Elbv2Model.SigningName, Elbv2Model.Version, Elbv2Model.XmlNamespace, Elbv2Model.Errors);
    public static readonly AwsService Iam = AwsService.Query(IamModel.Name, IamModel.SigningName, IamModel.Version, IamModel.XmlNamespace, IamModel.Errors);
    public static readonly AwsService CloudWatch = AwsService.Query(CloudWatchModel.Name, CloudWatchModel.SigningName, CloudWatchModel.Version, CloudWatchModel.XmlNamespace, CloudWatchModel.Errors);
    public static readonly AwsService Traits = AwsService.Query("TraitShapes", "traits", "2020-01-01", "https://traits.example/doc/2020-01-01/");

    public static readonly DateTimeOffset Created = new(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    /// <summary>The inputs the handlers received, last first.</summary>
    public object? LastInput { get; private set; }

    public AwsOperationTable Table() => new AwsOperationTable.Builder()
        .Service(Elbv2)
        .Map<DescribeLoadBalancersInput, DescribeLoadBalancersOutput>(Elbv2.Name, "DescribeLoadBalancers", (r, _, _) => Remember(r, DescribeLoadBalancers(r)))
        .Service(Iam)
        .Map<ListUsersRequest, ListUsersResponse>(Iam.Name, "ListUsers", (r, _, _) => Remember(r, ListUsers(r)))
        .Map<NoInput, GetAccountSummaryResponse>(Iam.Name, "GetAccountSummary", (r, _, _) => Remember(r,
            new GetAccountSummaryResponse { SummaryMap = new Dictionary<string, int> { ["Users"] = 3, ["UsersQuota"] = 5000 } }))
        .Service(CloudWatch)
        .Map<PutMetricDataInput>(CloudWatch.Name, "PutMetricData", (r, _, _) => Remember(r))
        .Map<GetMetricStatisticsInput, GetMetricStatisticsOutput>(CloudWatch.Name, "GetMetricStatistics", (r, _, _) => Remember(r, new GetMetricStatisticsOutput
        {
            Label = r.MetricName,
            Datapoints = [new Datapoint { Timestamp = Created, Average = 0.25, Unit = "Percent", ExtendedStatistics = new Dictionary<string, double> { ["p99"] = 1.5 } }],
        }))
        .Service(Traits)
        .Map<TraitShapes, TraitShapes>(Traits.Name, "Echo", (r, _, _) => Remember(r, r))
        .Service(JsonPrefix, "queryjsontest")
        .Map<TraitShapes, TraitShapes>(JsonPrefix, "Echo", (r, _, _) => Remember(r, r))
        .Build();

    /// <summary>Load balancers named as asked (<c>web</c> when none is); <c>missing</c> is not found, <c>boom</c> is a server fault.</summary>
    private static DescribeLoadBalancersOutput DescribeLoadBalancers(DescribeLoadBalancersInput input)
    {
        var names = input.Names ?? ["web"];
        if (names.Contains("missing"))
        {
            throw new AwsException("LoadBalancerNotFoundException", "One or more load balancers not found");
        }
        if (names.Contains("boom"))
        {
            throw new InvalidOperationException("boom");
        }
        return new DescribeLoadBalancersOutput
        {
            LoadBalancers = [.. names.Select(name => new LoadBalancer
            {
                LoadBalancerArn = $"arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/{name}/50dc6c495c0c9188",
                DNSName = $"{name}-1234567890.us-east-1.elb.amazonaws.com",
                CreatedTime = Created,
                LoadBalancerName = name,
                Scheme = LoadBalancerSchemeEnumValues.internet_facing,
                State = new LoadBalancerState { Code = LoadBalancerStateEnumValues.active },
                Type = LoadBalancerTypeEnumValues.application,
                AvailabilityZones = [new AvailabilityZone { ZoneName = "us-east-1a", SubnetId = "subnet-1", LoadBalancerAddresses = [] }],
                SecurityGroups = ["sg-1", "sg-2"],
                IpAddressType = IpAddressTypeValues.ipv4,
            })],
        };
    }

    /// <summary>Alice; under the path prefix <c>/missing/</c>, IAM's NoSuchEntityException (NoSuchEntity, 404 on the wire).</summary>
    private static ListUsersResponse ListUsers(ListUsersRequest input)
    {
        if (input.PathPrefix == "/missing/")
        {
            throw new AwsException("NoSuchEntityException", $"The path {input.PathPrefix} cannot be found.");
        }
        return new ListUsersResponse
        {
            Users =
            [
                new User
                {
                    Path = "/", UserName = "alice", UserId = "AIDAEXAMPLEALICE0001", Arn = "arn:aws:iam::000000000000:user/alice",
                    CreateDate = Created, Tags = [new IamTag { Key = "team", Value = "platform" }],
                },
            ],
            IsTruncated = false,
        };
    }

    private Task<T> Remember<T>(object input, T output)
    {
        LastInput = input;
        return Task.FromResult(output);
    }

    private Task Remember(object input)
    {
        LastInput = input;
        return Task.CompletedTask;
    }
}

/// <summary>An operation without input (the model's <c>smithy.api#Unit</c>).</summary>
public sealed record NoInput;
