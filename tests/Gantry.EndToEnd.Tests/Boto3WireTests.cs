using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Cloud Map, the EC2 network API, IAM/STS, Secrets Manager and Parameter Store through boto3 (pyenv's Python 3.11) against a plain `gantry server` (no agent: API
/// only): what the SDK's paginators, waiters and error parsing see, which the AWS CLI tests do not reach.
/// </summary>
public sealed class Boto3WireTests : IAsyncLifetime
{
    private GantryProcess _server = null!;

    public async Task InitializeAsync()
    {
        _server = await GantryProcess.StartAsync("server", extraArguments: ["--dns-listen", "none"]);
        await ServerProfile.WriteAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Boto3_drives_Cloud_Map_operations_discovery_paginators_tags_and_its_errors()
    {
        var seen = await Boto3.RunAsync(_server, "servicediscovery_boto3.py");

        Json("""{"status":"SUCCESS","type":"CREATE_NAMESPACE","targets":["NAMESPACE"]}""", seen, "namespace_operation");
        Json("""{"name":"boto3.local","type":"DNS_PRIVATE","arn_prefix":"arn:aws:servicediscovery:us-east-1:000000000000:namespace","hosted_zone":true}""",
            seen, "namespace");
        Json("""{"name":"web","namespace":true,"records":[{"Type":"A","TTL":10}],"policy":"MULTIVALUE"}""", seen, "service");
        Json("""[["SUCCESS","REGISTER_INSTANCE","i-blue"],["SUCCESS","REGISTER_INSTANCE","i-green"]]""", seen, "register_operations");
        Json("""[["i-blue","boto3.local","web","HEALTHY",{"AWS_INSTANCE_IPV4":"10.0.0.1","color":"blue"}],"""
             + """["i-green","boto3.local","web","HEALTHY",{"AWS_INSTANCE_IPV4":"10.0.0.2","color":"green"}]]""", seen, "discovered");
        Json("""[["i-blue","boto3.local","web","HEALTHY",{"AWS_INSTANCE_IPV4":"10.0.0.1","color":"blue"}]]""", seen, "discovered_blue");
        Json("""["i-blue"]""", seen, "discovered_healthy");
        Json("""[["i-blue","HEALTHY"],["i-green","UNHEALTHY"]]""", seen, "discovered_all");
        // One item a page: every item on its own page, each once (2 namespaces, 2 services, 2 instances, 4 operations).
        Json("""{"list_namespaces":{"pages":2,"items":2,"distinct":2},"list_services":{"pages":2,"items":2,"distinct":2}"""
             + ""","list_instances":{"pages":2,"items":2,"distinct":2},"list_operations":{"pages":4,"items":4,"distinct":4}}""", seen, "paged");
        Json("""["api","web"]""", seen, "service_names");
        Json("""[{"Key":"env","Value":"test"}]""", seen, "namespace_tags");
        Json("""[{"Key":"tier","Value":"web"}]""", seen, "service_tags");
        Json("""{"namespace":{"status":400,"code":"NamespaceNotFound"},"service":{"status":400,"code":"ServiceNotFound"}"""
             + ""","instance":{"status":400,"code":"InstanceNotFound"},"operation":{"status":400,"code":"OperationNotFound"}"""
             + ""","namespace_in_use":{"status":400,"code":"ResourceInUse"},"service_in_use":{"status":400,"code":"ResourceInUse"}"""
             + ""","discover_unknown":{"status":400,"code":"ServiceNotFound"},"tags_unknown":{"status":400,"code":"ResourceNotFoundException"}}""", seen, "errors");
        Json("""["SUCCESS","SUCCESS"]""", seen, "deleted");
        Json("[]", seen, "namespaces_left");
    }

    [Fact]
    public async Task Boto3_pages_waits_for_and_errs_on_the_EC2_network_API_as_EC2_does()
    {
        var seen = await Boto3.RunAsync(_server, "ec2_boto3.py");

        Json("""{"state":"available","cidr":"10.30.0.0/16","default":false,"tags":[{"Key":"Name","Value":"boto3"}]}""", seen, "vpc");
        // PageSize 5: the default VPC and 6 more; 6 subnets; the VPC's default group and 5 more — each once.
        Json("""{"pages":[5,2],"distinct":7,"has_ours":true}""", seen, "vpcs_paged");
        Json("""{"pages":[5,1],"distinct":6,"same":true}""", seen, "subnets_paged");
        Json("""{"pages":[5,1],"distinct":6}""", seen, "groups_paged");
        Json("""{"count":5,"token":true}""", seen, "first_page");
        Json("""{"count":1,"token":false}""", seen, "second_page");
        // [IsEgress, IpProtocol, FromPort, ToPort, CidrIpv4, ReferencedGroupInfo is web, Description, GroupId is db, sgr- id]
        Json("""{"return":true,"rules":[[false,"tcp",22,22,"10.0.0.0/8",false,"ssh",true,true],[false,"tcp",5432,5432,null,true,"from web",true,true]]}""",
            seen, "authorize");
        Json("""[["tcp",22,22,[["10.0.0.0/8","ssh"]],[]],["tcp",5432,5432,[],[[true,"from web",true]]]]""", seen, "permissions");
        Json("""[["-1",["0.0.0.0/0"]]]""", seen, "egress");
        Json("""[[false,"tcp",22,22],[false,"tcp",5432,5432],[true,"-1",-1,-1]]""", seen, "rules_by_group");
        Json("""[[true,"10.0.0.0/8","ssh"]]""", seen, "rule_by_id");
        Json("1", seen, "rules_by_ids");
        Json("\"InvalidGroup.NotFound\"", seen, "waiter_gave_up");
        Json("""{"group_not_found":{"status":400,"code":"InvalidGroup.NotFound"},"vpc_not_found":{"status":400,"code":"InvalidVpcID.NotFound"}"""
             + ""","subnet_not_found":{"status":400,"code":"InvalidSubnetID.NotFound"},"rule_not_found":{"status":400,"code":"InvalidSecurityGroupRuleId.NotFound"}"""
             + ""","dry_run":{"status":412,"code":"DryRunOperation"},"dry_run_describe":{"status":412,"code":"DryRunOperation"}"""
             + ""","duplicate_group":{"status":400,"code":"InvalidGroup.Duplicate"},"duplicate_rule":{"status":400,"code":"InvalidPermission.Duplicate"}"""
             + ""","revoke_missing":{"status":400,"code":"InvalidPermission.NotFound"},"group_in_use":{"status":400,"code":"DependencyViolation"}"""
             + ""","vpc_in_use":{"status":400,"code":"DependencyViolation"},"max_results_too_small":{"status":400,"code":"InvalidParameterValue"}"""
             + ""","unknown_filter":{"status":400,"code":"InvalidParameterValue"}}""", seen, "errors");
        Json("0", seen, "groups_after_dry_run");
        Json("0", seen, "permissions_after_revoke");
        Json("[true]", seen, "vpcs_left");
    }

    /// <summary>The script printed <paramref name="expected"/> (compact JSON) under <paramref name="key"/>.</summary>
    [Fact]
    public async Task Boto3_drives_IAM_STS_secrets_and_parameters_and_sees_denials_as_AWS_sends_them()
    {
        var seen = await Boto3.RunAsync(_server, "identity_boto3.py");

        Json("""["boto-a"]""", seen, "allowed");
        Json("""{"status":400,"code":"AccessDeniedException"}""", seen, "denied");
        Json("""[["paged-0"],["paged-1"],["paged-2"]]""", seen, "users_paged");
        Json("""{"arn":"arn:aws:sts::000000000000:assumed-role/boto-role/s1","user":"arn:aws:sts::000000000000:assumed-role/boto-role/s1","key":"ASIA"}""",
            seen, "assumed");
        Json("""{"status":400,"code":"AccessDeniedException"}""", seen, "role_denied");
        Json("""{"current":"{\"password\":\"two\"}","previous":"{\"password\":\"one\"}"}""", seen, "secret");
        Json("""{"decrypted":"s3cret","sealed_differs":true}""", seen, "secure");
        Json("""{"pages":2,"names":["/boto/app/p0","/boto/app/p1","/boto/app/p2","/boto/app/password"]}""", seen, "params_paged");
    }

    private static void Json(string expected, JsonElement seen, string key) => Assert.Equal(expected, seen.GetProperty(key).GetRawText());
}
