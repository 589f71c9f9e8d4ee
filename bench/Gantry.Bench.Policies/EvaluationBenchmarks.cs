using BenchmarkDotNet.Attributes;
using Gantry.Iam.Policies;

namespace Gantry.Bench.Policies;

/// <summary>
/// One ecs:UpdateService request by an IAM user (8 context keys, built per request as the API would) against a
/// developer's 20-statement identity policy: ECS, ECR, Logs, Cloud Map, ELB, PassRole, tags, a date window, a
/// deny on deletes without MFA and a deny from outside 10.0.0.0/8 (a wildcard-service statement every request
/// checks). The allowing statement is the 15th. <c>ParseEachTime</c> (baseline) parses and compiles the document
/// for every request; <c>OneStatement</c> is a policy of the allowing statement alone; <c>ContextKept</c> reuses
/// one built context (its parsed address and date included).
/// </summary>
[Config(typeof(PoliciesConfig))]
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private const string Allowing =
        """{"Sid":"DeployProd","Effect":"Allow","Action":"ecs:UpdateService","Resource":"arn:aws:ecs:us-east-1:123456789012:service/prod/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"},"ArnEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/prod"}}}""";

    private static readonly string Twenty = $$$$"""
        {"Version":"2012-10-17","Statement":[
        {"Sid":"ReadClusterA","Effect":"Allow","Action":["ecs:Describe*","ecs:List*"],"Resource":"*","Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/a"}}},
        {"Sid":"RunWeb","Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:*","Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/prod"}}},
        {"Sid":"StopProd","Effect":"Allow","Action":"ecs:StopTask","Resource":"arn:aws:ecs:us-east-1:123456789012:task/prod/*"},
        {"Sid":"Pull","Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"],"Resource":"arn:aws:ecr:us-east-1:123456789012:repository/*"},
        {"Sid":"PushHome","Effect":"Allow","Action":["ecr:PutImage","ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload"],"Resource":"arn:aws:ecr:us-east-1:123456789012:repository/home/${aws:username}/*"},
        {"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/*"},
        {"Sid":"ReadLogs","Effect":"Allow","Action":["logs:Get*","logs:FilterLogEvents","logs:Describe*"],"Resource":"*"},
        {"Sid":"Tag","Effect":"Allow","Action":["ecs:TagResource","ecs:UntagResource"],"Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team","owner"]}}},
        {"Sid":"CreateService","Effect":"Allow","Action":"ecs:CreateService","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/env":["dev","staging"]}}},
        {"Sid":"PassTaskRoles","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/ecs-task-*"},
        {"Sid":"CloudMap","Effect":"Allow","Action":"servicediscovery:*","Resource":"*"},
        {"Sid":"ElbRead","Effect":"Allow","Action":"elasticloadbalancing:Describe*","Resource":"*"},
        {"Sid":"NoDeleteWithoutMfa","Effect":"Deny","Action":"ecs:Delete*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},
        {"Sid":"OfficeOnly","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}},
        {{{{Allowing}}}},
        {"Sid":"Exec","Effect":"Allow","Action":"ecs:ExecuteCommand","Resource":"*","Condition":{"StringEquals":{"ecs:container-name":"debug"}}},
        {"Sid":"Ec2Read","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},
        {"Sid":"Metrics","Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*","Condition":{"StringLike":{"cloudwatch:namespace":"App/*"}}},
        {"Sid":"Params","Effect":"Allow","Action":["ssm:GetParameters","ssm:GetParameter"],"Resource":"arn:aws:ssm:us-east-1:123456789012:parameter/app/*"},
        {"Sid":"Secrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:app/*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}
        ]}
        """;

    private static readonly string One = $$"""{"Version":"2012-10-17","Statement":[{{Allowing}}]}""";

    private const string Resource = "arn:aws:ecs:us-east-1:123456789012:service/prod/web";

    private CompiledPolicy[] _twenty = [];
    private CompiledPolicy[] _one = [];
    private EvaluationRequest _kept = null!;

    [GlobalSetup]
    public void Setup()
    {
        _twenty = [PolicyDocument.Parse(Twenty, PolicyKind.Identity)];
        _one = [PolicyDocument.Parse(One, PolicyKind.Identity)];
        _kept = Request();
        if (_twenty[0].StatementCount != 20 || !Evaluate(_twenty, _kept) || !Evaluate(_one, _kept)
            || Evaluate([PolicyDocument.Parse(Twenty, PolicyKind.Identity)], Request("192.0.2.1")))
        {
            throw new InvalidOperationException("The benchmark's request is not decided as intended.");
        }
    }

    [Benchmark(Baseline = true)]
    public bool ParseEachTime() => Evaluate([PolicyDocument.Parse(Twenty, PolicyKind.Identity)], Request());

    [Benchmark]
    public bool OneStatement() => Evaluate(_one, Request());

    [Benchmark]
    public bool TwentyStatements() => Evaluate(_twenty, Request());

    [Benchmark]
    public bool TwentyStatementsContextKept() => Evaluate(_twenty, _kept);

    private static bool Evaluate(CompiledPolicy[] identity, EvaluationRequest request) =>
        PolicyEvaluator.Evaluate(request, identity, null, []).Allowed;

    private static EvaluationRequest Request(string sourceIp = "10.1.2.3")
    {
        RequestContext context = new RequestContext()
            .Set("aws:username", "ana")
            .Set("aws:userid", "AIDAEXAMPLEANA")
            .Set("aws:PrincipalArn", "arn:aws:iam::123456789012:user/ana")
            .Set("aws:PrincipalAccount", "123456789012")
            .Set("aws:SourceIp", sourceIp)
            .Set("aws:CurrentTime", "2026-12-07T12:00:00Z")
            .Set("aws:SecureTransport", "true")
            .Set("ecs:cluster", "arn:aws:ecs:us-east-1:123456789012:cluster/prod");
        return new EvaluationRequest("ecs:UpdateService", Resource, context);
    }
}
