using System.Text.Json.Nodes;
using Gantry.Domain.Ecs;

namespace Gantry.Domain.Tests.TaskDefinitions;

/// <summary>
/// Invalid task definitions, each a JSON edit of the valid EC2 bridge sample. Shared (as a linked file) by the
/// validator tests and the API tests, which send each one over the wire.
/// </summary>
public static class TaskDefinitionMistakes
{
    /// <summary>Each case: a JSON edit on a valid EC2 bridge definition, the AWS error type, and the field the message must name.</summary>
    public static TheoryData<string, string, string, string> All => new()
    {
        { "missing family", """{"family":null}""", "ClientException", "family" },
        { "family with a space", """{"family":"my app"}""", "ClientException", "family" },
        { "no containers", """{"containerDefinitions":[]}""", "ClientException", "containerDefinitions" },
        { "container without image", """{"containerDefinitions":[{"name":"a","memory":64}]}""", "ClientException", "containerDefinitions[0].image" },
        { "container name invalid", """{"containerDefinitions":[{"name":"a b","image":"x","memory":64}]}""", "ClientException", "containerDefinitions[0].name" },
        { "duplicate container names", """{"containerDefinitions":[{"name":"a","image":"x","memory":64},{"name":"a","image":"x","memory":64}]}""", "ClientException", "containerDefinitions[1].name" },
        { "no essential container", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"essential":false}]}""", "ClientException", "containerDefinitions" },
        { "no memory anywhere", """{"containerDefinitions":[{"name":"a","image":"x"}]}""", "ClientException", "containerDefinitions[0].memory" },
        { "reservation above hard limit", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"memoryReservation":128}]}""", "ClientException", "containerDefinitions[0].memoryReservation" },
        { "memory below 6 MiB", """{"containerDefinitions":[{"name":"a","image":"x","memory":4}]}""", "ClientException", "containerDefinitions[0].memory" },
        { "containers exceed task cpu", """{"cpu":"256","containerDefinitions":[{"name":"a","image":"x","memory":64,"cpu":512}]}""", "ClientException", "containerDefinitions[].cpu" },
        { "unknown network mode", """{"networkMode":"overlay"}""", "InvalidParameterException", "networkMode" },
        { "unknown compatibility", """{"requiresCompatibilities":["LAMBDA"]}""", "InvalidParameterException", "requiresCompatibilities[0]" },
        { "awsvpc host port differs", """{"networkMode":"awsvpc","containerDefinitions":[{"name":"a","image":"x","memory":64,"portMappings":[{"containerPort":80,"hostPort":8080}]}]}""", "ClientException", "containerDefinitions[0].portMappings[0].hostPort" },
        { "container port out of range", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"portMappings":[{"containerPort":70000}]}]}""", "InvalidParameterException", "containerDefinitions[0].portMappings[0].containerPort" },
        { "bad protocol", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"portMappings":[{"containerPort":80,"protocol":"sctp"}]}]}""", "InvalidParameterException", "containerDefinitions[0].portMappings[0].protocol" },
        { "same static host port twice", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"portMappings":[{"containerPort":80,"hostPort":80}]},{"name":"b","image":"x","memory":64,"portMappings":[{"containerPort":81,"hostPort":80}]}]}""", "ClientException", "containerDefinitions[1].portMappings[0].hostPort" },
        { "port mappings with network none", """{"networkMode":"none","containerDefinitions":[{"name":"a","image":"x","memory":64,"portMappings":[{"containerPort":80}]}]}""", "ClientException", "containerDefinitions[0].portMappings" },
        { "link to a missing container", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"links":["db:database"]}]}""", "ClientException", "containerDefinitions[0].links[0]" },
        { "links outside bridge mode", """{"networkMode":"host","containerDefinitions":[{"name":"a","image":"x","memory":64,"links":["b"]},{"name":"b","image":"x","memory":64}]}""", "ClientException", "containerDefinitions[0].links" },
        { "dependsOn a missing container", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"dependsOn":[{"containerName":"b","condition":"START"}]}]}""", "ClientException", "containerDefinitions[0].dependsOn[0].containerName" },
        { "dependsOn HEALTHY without health check", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"dependsOn":[{"containerName":"b","condition":"HEALTHY"}]},{"name":"b","image":"x","memory":64}]}""", "ClientException", "containerDefinitions[0].dependsOn[0].condition" },
        { "dependsOn COMPLETE on an essential container", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"dependsOn":[{"containerName":"b","condition":"COMPLETE"}]},{"name":"b","image":"x","memory":64}]}""", "ClientException", "containerDefinitions[0].dependsOn[0].condition" },
        { "unknown dependency condition", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"dependsOn":[{"containerName":"b","condition":"READY"}]},{"name":"b","image":"x","memory":64}]}""", "InvalidParameterException", "containerDefinitions[0].dependsOn[0].condition" },
        { "dependency cycle", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"dependsOn":[{"containerName":"b","condition":"START"}]},{"name":"b","image":"x","memory":64,"dependsOn":[{"containerName":"a","condition":"START"}]}]}""", "ClientException", "containerDefinitions[].dependsOn" },
        { "mount point of an undeclared volume", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"mountPoints":[{"sourceVolume":"data","containerPath":"/data"}]}]}""", "ClientException", "containerDefinitions[0].mountPoints[0].sourceVolume" },
        { "relative container path", """{"volumes":[{"name":"data"}],"containerDefinitions":[{"name":"a","image":"x","memory":64,"mountPoints":[{"sourceVolume":"data","containerPath":"data"}]}]}""", "ClientException", "containerDefinitions[0].mountPoints[0].containerPath" },
        { "duplicate volume names", """{"volumes":[{"name":"data"},{"name":"data"}]}""", "ClientException", "volumes[1].name" },
        { "relative host source path", """{"volumes":[{"name":"data","host":{"sourcePath":"var/data"}}]}""", "ClientException", "volumes[0].host.sourcePath" },
        { "volumesFrom a missing container", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"volumesFrom":[{"sourceContainer":"z"}]}]}""", "ClientException", "containerDefinitions[0].volumesFrom[0].sourceContainer" },
        { "health check without CMD", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"healthCheck":{"command":["curl","localhost"]}}]}""", "ClientException", "containerDefinitions[0].healthCheck.command" },
        { "health check interval too short", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"healthCheck":{"command":["CMD","true"],"interval":1}}]}""", "InvalidParameterException", "containerDefinitions[0].healthCheck.interval" },
        { "health check retries too many", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"healthCheck":{"command":["CMD","true"],"retries":11}}]}""", "InvalidParameterException", "containerDefinitions[0].healthCheck.retries" },
        { "unknown log driver", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"logConfiguration":{"logDriver":"loki"}}]}""", "InvalidParameterException", "containerDefinitions[0].logConfiguration.logDriver" },
        { "awslogs without a group", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-region":"us-east-1"}}}]}""", "ClientException", "containerDefinitions[0].logConfiguration.options" },
        { "ulimit soft above hard", """{"containerDefinitions":[{"name":"a","image":"x","memory":64,"ulimits":[{"name":"nofile","softLimit":10,"hardLimit":5}]}]}""", "ClientException", "containerDefinitions[0].ulimits[0].softLimit" },
        { "placement constraint of the wrong type", """{"placementConstraints":[{"type":"distinctInstance"}]}""", "InvalidParameterException", "placementConstraints[0].type" },
        { "unparseable task memory", """{"memory":"lots"}""", "ClientException", "memory" },
        { "eleven containers", """{"containerDefinitions":[{"name":"c1","image":"x","memory":8},{"name":"c2","image":"x","memory":8},{"name":"c3","image":"x","memory":8},{"name":"c4","image":"x","memory":8},{"name":"c5","image":"x","memory":8},{"name":"c6","image":"x","memory":8},{"name":"c7","image":"x","memory":8},{"name":"c8","image":"x","memory":8},{"name":"c9","image":"x","memory":8},{"name":"c10","image":"x","memory":8},{"name":"c11","image":"x","memory":8}]}""", "ClientException", "containerDefinitions" },
    };

    /// <summary>The EC2 bridge sample with the top-level members of <paramref name="patch"/> replaced.</summary>
    public static RegisterTaskDefinitionRequest Patched(string patch) => TaskDefinitionRefusals.Patched("ec2", patch);

    /// <summary>The patched sample as JSON.</summary>
    public static JsonObject PatchedJson(string patch) => TaskDefinitionRefusals.PatchedJson("ec2", patch);
}
