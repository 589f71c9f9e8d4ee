using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Fuzz.Tests.Model;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>
/// Values that pass Gantry's validation for a member, built from the model: required members, plus the members
/// Gantry needs to get past its first checks (a container's name, image and memory), named after the fixtures
/// (<see cref="Fixtures"/>, and the <paramref name="named"/> values by member name, e.g. the ARNs of the ELBv2 fixtures
/// <see cref="QueryFixtures"/> and <see cref="Ec2Fixtures"/> made) so hostile variations reach the handlers' deeper code.
/// </summary>
public sealed class PlausibleValues(SmithyModels models, IReadOnlyDictionary<string, string>? named = null)
{
    private const int MaxDepth = 8;
    private static readonly long NowMilliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Members worth filling although the model does not require them.</summary>
    private static readonly Dictionary<string, string[]> Essential = new(StringComparer.Ordinal)
    {
        ["ContainerDefinition"] = ["name", "image", "memory"],
        ["ContainerOverride"] = ["name"],
        ["KeyValuePair"] = ["name", "value"],
        ["Tag"] = ["key", "value", "Key", "Value"],
        ["IpPermission"] = ["IpProtocol", "FromPort", "ToPort", "IpRanges"],
        ["IpRange"] = ["CidrIp"],
        ["CreateVpcRequest"] = ["CidrBlock"],
        ["CreateSubnetRequest"] = ["CidrBlock"],
        ["CreateSecurityGroupRequest"] = ["VpcId"],
        ["DeleteSecurityGroupRequest"] = ["GroupId"],
        ["AuthorizeSecurityGroupIngressRequest"] = ["GroupId", "IpPermissions"],
        ["RevokeSecurityGroupIngressRequest"] = ["GroupId", "IpPermissions"],
        ["ClusterSetting"] = ["name", "value"],
        ["ImageIdentifier"] = ["imageTag"],
        ["PlacementStrategy"] = ["type", "field"],
        ["PlacementConstraint"] = ["type"],
    };

    private static readonly Dictionary<string, string> ByMemberName = new(StringComparer.Ordinal)
    {
        ["cluster"] = Fixtures.Cluster,
        ["clusterName"] = Fixtures.Cluster,
        ["clusters"] = Fixtures.Cluster,
        ["family"] = Fixtures.Family,
        ["familyPrefix"] = Fixtures.Family,
        ["taskDefinition"] = Fixtures.Family,
        ["taskDefinitions"] = $"{Fixtures.Family}:1",
        ["serviceName"] = "fz",
        ["service"] = "fz",
        ["services"] = "fz",
        ["name"] = "fz",
        ["SecretId"] = "fz",
        ["image"] = "busybox",
        ["logGroupName"] = Fixtures.LogGroup,
        ["logGroupIdentifier"] = Fixtures.LogGroup,
        ["logGroupNamePrefix"] = Fixtures.LogGroup,
        ["logStreamName"] = Fixtures.LogStream,
        ["logStreamNamePrefix"] = Fixtures.LogStream,
        ["logStreamNames"] = Fixtures.LogStream,
        ["repositoryName"] = Fixtures.Repository,
        ["repositoryNames"] = Fixtures.Repository,
        ["message"] = "hello",
        ["key"] = "k",
        ["value"] = "v",
        ["Key"] = "k",
        ["Value"] = "v",
        ["tagKeys"] = "k",
        ["imageTag"] = "latest",
        ["imageDigest"] = Fixtures.Digest,
        ["layerDigest"] = Fixtures.Digest,
        ["layerDigests"] = Fixtures.Digest,
        ["instanceIdentityDocument"] = """{"instanceId":"i-0fz"}""",
        ["policyText"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"}]}""",
        ["lifecyclePolicyText"] = """{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}""",
        ["imageManifest"] = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Fixtures.Digest}}","size":2},"layers":[]}""",
        ["layerPartBlob"] = "AAAA",
        ["filterPattern"] = "hello",
    };

    private static readonly Dictionary<string, long> NumbersByMemberName = new(StringComparer.Ordinal)
    {
        ["memory"] = 64,
        ["desiredCount"] = 0,
        ["count"] = 1,
        ["partFirstByte"] = 0,
        ["partLastByte"] = 2,
        ["retentionInDays"] = 1,
        ["timestamp"] = NowMilliseconds,
        ["startTime"] = NowMilliseconds - 60_000,
        ["endTime"] = NowMilliseconds + 60_000,
        ["maxResults"] = 10,
        ["limit"] = 10,
    };

    /// <summary>Inputs that the model alone cannot make acceptable (values that must name each other), by input shape name.</summary>
    private static readonly Dictionary<string, string> Seeds = new(StringComparer.Ordinal)
    {
        ["RegisterContainerInstanceRequest"] = $$"""
            {"cluster":"{{Fixtures.Cluster}}","totalResources":[{"name":"PORTS","type":"STRINGSET","stringSetValue":["22"]},
             {"name":"CPU","type":"INTEGER","integerValue":1024},{"name":"MEMORY","type":"INTEGER","integerValue":2048}]}
            """,
        ["CreateServiceRequest"] = $$"""{"cluster":"{{Fixtures.Cluster}}","serviceName":"fz","taskDefinition":"{{Fixtures.Family}}","desiredCount":0}""",
        ["RunTaskRequest"] = $$"""{"cluster":"{{Fixtures.Cluster}}","taskDefinition":"{{Fixtures.Family}}"}""",
    };

    /// <summary>The operation's input: its seed, or its required and essential members.</summary>
    public JsonObject Input(string inputShape, string service) =>
        Seeds.TryGetValue(SmithyModels.Name(inputShape), out var seed) ? JsonNode.Parse(seed)!.AsObject() : (JsonObject)For("", inputShape, service, 0)!;

    /// <summary>A plausible value for a member named <paramref name="member"/> of shape <paramref name="shapeId"/>.</summary>
    public JsonNode? For(string member, string shapeId, string service, int depth)
    {
        if (shapeId.StartsWith("smithy.api#", StringComparison.Ordinal))
        {
            return Primitive(member, SmithyModels.Name(shapeId).ToLowerInvariant() switch
            {
                "string" => "string",
                "integer" or "short" or "byte" or "primitiveinteger" => "integer",
                "long" or "primitivelong" => "long",
                "boolean" or "primitiveboolean" => "boolean",
                "double" or "float" or "primitivedouble" => "double",
                "timestamp" => "timestamp",
                "blob" => "blob",
                "unit" => "structure",
                var other => other,
            }, default, service);
        }
        var shape = models.Shape(shapeId);
        var kind = SmithyModels.Kind(shape);
        switch (kind)
        {
            case "structure" or "union":
                var structure = new JsonObject();
                if (depth >= MaxDepth || !shape.TryGetProperty("members", out var members))
                {
                    return structure;
                }
                var wanted = Essential.GetValueOrDefault(SmithyModels.Name(shapeId)) ?? [];
                foreach (var m in members.EnumerateObject())
                {
                    if (SmithyModels.HasTrait(m.Value, "smithy.api#required") || wanted.Contains(m.Name) || (kind == "union" && structure.Count == 0))
                    {
                        structure[m.Name] = For(m.Name, m.Value.GetProperty("target").GetString()!, service, depth + 1);
                    }
                }
                return structure;
            case "list" or "set":
                return new JsonArray(For(member, shape.GetProperty("member").GetProperty("target").GetString()!, service, depth + 1));
            case "map":
                return new JsonObject { ["k"] = For("value", shape.GetProperty("value").GetProperty("target").GetString()!, service, depth + 1) };
            default:
                return Primitive(member, kind, shape, service);
        }
    }

    private JsonNode? Primitive(string member, string kind, JsonElement shape, string service) => kind switch
    {
        "enum" => shape.GetProperty("members").EnumerateObject().First().Value.GetProperty("traits").GetProperty("smithy.api#enumValue").GetString(),
        "intEnum" => shape.GetProperty("members").EnumerateObject().First().Value.GetProperty("traits").GetProperty("smithy.api#enumValue").GetInt32(),
        "string" when member == "resourceArn" => Fixtures.ResourceArn(service),
        "string" => named?.GetValueOrDefault(member) ?? ByMemberName.GetValueOrDefault(member, "fz"),
        "integer" or "short" or "byte" => (int)NumbersByMemberName.GetValueOrDefault(member, 1),
        "long" => NumbersByMemberName.GetValueOrDefault(member, 1),
        "double" or "float" => 1.0,
        "boolean" => false,
        "timestamp" => NowMilliseconds / 1000.0,
        "blob" => "AAAA",
        "document" => new JsonObject(),
        _ => throw new NotSupportedException($"Shape kind {kind} has no plausible value."),
    };
}
