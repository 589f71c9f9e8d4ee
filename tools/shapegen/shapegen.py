#!/usr/bin/env python3
"""Generates C# records for the AWS wire shapes Gantry serves, from the official Smithy JSON models.

Run from the repository root:  python3 tools/shapegen/shapegen.py
Output: src/Gantry.Domain/<Service>/Shapes/*.g.cs (one file per shape). Add an operation to OPERATIONS
and re-run to get its request, response and every structure they reach.
"""
import html, json, os, re, shutil, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODELS = os.path.join(ROOT, "..", "shared", "aws-models")

SERVICES = {
    "ecs": {
        "model": "ecs-2014-11-13.json",
        "namespace": "Gantry.Domain.Ecs",
        "out": "src/Gantry.Domain/Ecs/Shapes",
        "operations": [
            "CreateCluster", "DescribeClusters", "ListClusters", "DeleteCluster", "UpdateCluster", "UpdateClusterSettings",
            "TagResource", "UntagResource", "ListTagsForResource",
            "RegisterTaskDefinition", "DescribeTaskDefinition", "ListTaskDefinitions", "ListTaskDefinitionFamilies",
            "DeregisterTaskDefinition", "DeleteTaskDefinitions",
            "RegisterContainerInstance", "DescribeContainerInstances", "ListContainerInstances", "DeregisterContainerInstance",
            "UpdateContainerInstancesState", "PutAttributes", "DeleteAttributes", "ListAttributes",
            "RunTask", "StartTask", "StopTask", "DescribeTasks", "ListTasks",
            "CreateService", "UpdateService", "DeleteService", "DescribeServices", "ListServices",
        ],
        # Shape names that would clash with .NET types.
        "renames": {"Task": "EcsTask", "Attribute": "EcsAttribute", "Tag": "Tag"},
    },
    "ecr": {
        "model": "ecr-2015-09-21.json",
        "namespace": "Gantry.Domain.Ecr",
        "out": "src/Gantry.Domain/Ecr/Shapes",
        "operations": [
            "CreateRepository", "DescribeRepositories", "DeleteRepository", "PutImageTagMutability",
            "PutImageScanningConfiguration",
            "ListImages", "DescribeImages", "BatchGetImage", "PutImage", "BatchDeleteImage",
            "BatchCheckLayerAvailability", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload",
            "GetDownloadUrlForLayer", "GetAuthorizationToken",
            "SetRepositoryPolicy", "GetRepositoryPolicy", "DeleteRepositoryPolicy",
            "PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy",
            "StartLifecyclePolicyPreview", "GetLifecyclePolicyPreview",
            "TagResource", "UntagResource", "ListTagsForResource",
        ],
        "renames": {"Image": "EcrImage", "Tag": "EcrTag", "Repository": "EcrRepository"},
    },
    "logs": {
        "model": "cloudwatch-logs-2014-03-28.json",
        "namespace": "Gantry.Domain.Logs",
        "out": "src/Gantry.Domain/Logs/Shapes",
        "operations": [
            "CreateLogGroup", "DeleteLogGroup", "DescribeLogGroups", "CreateLogStream", "DeleteLogStream", "DescribeLogStreams",
            "PutLogEvents", "GetLogEvents", "FilterLogEvents", "PutRetentionPolicy", "DeleteRetentionPolicy",
        ],
        "renames": {},
    },
}

PRIMITIVES = {
    "string": "string", "integer": "int", "long": "long", "boolean": "bool", "double": "double",
    "float": "double", "timestamp": "DateTimeOffset", "blob": "byte[]", "document": "System.Text.Json.JsonElement",
}
BUILTIN = {"smithy.api#String": "string", "smithy.api#Integer": "int", "smithy.api#Long": "long", "smithy.api#Boolean": "bool",
           "smithy.api#Double": "double", "smithy.api#Timestamp": "DateTimeOffset", "smithy.api#Blob": "byte[]",
           "smithy.api#PrimitiveInteger": "int", "smithy.api#PrimitiveBoolean": "bool", "smithy.api#PrimitiveLong": "long",
           "smithy.api#Document": "System.Text.Json.JsonElement"}
CSHARP_KEYWORDS = {"base", "default", "namespace", "operator", "object", "string", "event", "params", "fixed", "lock"}


def pascal(name):
    return name[0].upper() + name[1:]


def summary(traits):
    doc = traits.get("smithy.api#documentation", "")
    text = html.unescape(re.sub(r"<[^>]+>", "", doc))
    text = re.sub(r"\s+", " ", text).strip()
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0] if text else ""
    return first.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Generator:
    def __init__(self, config):
        self.config = config
        with open(os.path.join(MODELS, config["model"]), encoding="utf-8") as f:
            self.shapes = json.load(f)["shapes"]
        self.prefix = next(k.split("#")[0] for k in self.shapes) + "#"
        self.structures, self.enums = {}, {}

    def name(self, shape_id):
        short = shape_id.split("#")[1]
        return self.config["renames"].get(short, short)

    def type_of(self, target):
        if target in BUILTIN:
            return BUILTIN[target]
        shape = self.shapes[target]
        kind = shape["type"]
        if kind in PRIMITIVES:
            return PRIMITIVES[kind]
        if kind == "enum":
            self.enums[target] = shape
            return "string"
        if kind == "list":
            return f"IReadOnlyList<{self.type_of(shape['member']['target'])}>"
        if kind == "map":
            return f"IReadOnlyDictionary<string, {self.type_of(shape['value']['target'])}>"
        if kind in ("structure", "union"):
            self.visit(target)
            return self.name(target)
        raise ValueError(f"unsupported shape {target} of type {kind}")

    def visit(self, shape_id):
        if shape_id in self.structures or shape_id == "smithy.api#Unit":
            return
        self.structures[shape_id] = None
        shape = self.shapes[shape_id]
        members = []
        for member, spec in shape.get("members", {}).items():
            members.append((member, self.type_of(spec["target"]), summary(spec.get("traits", {}))))
        self.structures[shape_id] = (shape, members)

    def run(self):
        for op in self.config["operations"]:
            operation = self.shapes[self.prefix + op]
            for io in ("input", "output"):
                self.visit(operation[io]["target"])
        out = os.path.join(ROOT, self.config["out"])
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        for shape_id, (shape, members) in sorted(self.structures.items()):
            self.write(out, self.name(shape_id), self.record(shape_id, shape, members))
        for shape_id, shape in sorted(self.enums.items()):
            self.write(out, self.name(shape_id) + "Values", self.enum(shape_id, shape))

    def write(self, out, name, body):
        header = f"// <auto-generated>by tools/shapegen/shapegen.py from {self.config['model']}</auto-generated>\n#nullable enable\n"
        with open(os.path.join(out, name + ".g.cs"), "w", encoding="utf-8") as f:
            f.write(header + f"namespace {self.config['namespace']};\n\n" + body)

    def record(self, shape_id, shape, members):
        lines = []
        doc = summary(shape.get("traits", {}))
        if doc:
            lines.append(f"/// <summary>{doc}</summary>")
        lines.append(f"public sealed record {self.name(shape_id)}")
        lines.append("{")
        for member, cs_type, doc in members:
            prop = pascal(member)
            if prop == self.name(shape_id):
                prop += "Value"
            if doc:
                lines.append(f"    /// <summary>{doc}</summary>")
            lines.append(f'    [System.Text.Json.Serialization.JsonPropertyName("{member}")]')
            lines.append(f"    public {cs_type}? {prop} {{ get; init; }}")
            lines.append("")
        if lines[-1] == "":
            lines.pop()
        lines.append("}")
        return "\n".join(lines) + "\n"

    def enum(self, shape_id, shape):
        values = [m["traits"]["smithy.api#enumValue"] for m in shape["members"].values()]
        lines = [f"/// <summary>The wire values of {self.name(shape_id)}.</summary>",
                 f"public static class {self.name(shape_id)}Values", "{"]
        for value in values:
            ident = re.sub(r"[^A-Za-z0-9_]", "_", value)
            if ident[0].isdigit() or ident in CSHARP_KEYWORDS:
                ident = "_" + ident
            lines.append(f'    public const string {ident} = "{value}";')
        lines.append("")
        lines.append("    public static readonly IReadOnlyList<string> All = [" + ", ".join(f'"{v}"' for v in values) + "];")
        lines.append("}")
        return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for service in sys.argv[1:] or SERVICES:
        Generator(SERVICES[service]).run()
