#!/usr/bin/env python3
"""Generates C# records for the AWS wire shapes Gantry serves, from the official Smithy JSON models.

Run from the repository root:  python3 tools/shapegen/shapegen.py [service ...]
Output: src/Gantry.Domain/<Service>/Shapes/*.g.cs (one file per shape). Add an operation to a service's
"operations" and re-run to get its request, response and every structure they reach.

The records are the same for every protocol: members named by JsonPropertyName (the model's member names). For an
awsQuery service (form-encoded requests, XML answers) a member also gets [AwsXml(...)] where the model sets an XML
trait the codec must follow (xmlName, xmlFlattened, a list member's or map key's/value's xmlName, timestampFormat),
and <Prefix>Model.g.cs carries the service's name, signing name, version and xmlNamespace. The awsQuery codec reads
those from the records at start-up, so no model file ships with Gantry.

EC2 has no Smithy model in ../shared/aws-models: its shapes come from botocore's model (protocol "ec2"), found in the
Python that runs this script (or BOTOCORE_DATA). There a member carries two names: [AwsXml(Name = locationName)] for
answers and QueryName for requests (queryName, else locationName capitalized, else the member name, as botocore's
Ec2Serializer builds them); lists name their entries (MemberName, "item") in answers and are always Name.N in requests.

  python3 tools/shapegen/shapegen.py --check   generates every operation of every model in ../shared/aws-models
                                               into a temporary directory: fails on a shape it cannot express.
"""
import html, json, os, re, shutil, sys, tempfile

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
            "CreateService", "UpdateService", "DeleteService", "DescribeServices", "ListServices", "ListServicesByNamespace",
            "PutClusterCapacityProviders", "CreateCapacityProvider", "DescribeCapacityProviders", "UpdateCapacityProvider",
            "DeleteCapacityProvider",
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
    "elbv2": {
        "model": "elastic-load-balancing-v2-2015-12-01.json",
        "namespace": "Gantry.Domain.Elbv2",
        "out": "src/Gantry.Domain/Elbv2/Shapes",
        "operations": [
            "CreateLoadBalancer", "DescribeLoadBalancers", "DeleteLoadBalancer", "DescribeLoadBalancerAttributes",
            "ModifyLoadBalancerAttributes",
            "CreateTargetGroup", "DescribeTargetGroups", "ModifyTargetGroup", "DeleteTargetGroup",
            "DescribeTargetGroupAttributes", "ModifyTargetGroupAttributes",
            "RegisterTargets", "DeregisterTargets", "DescribeTargetHealth",
            "CreateListener", "DescribeListeners", "ModifyListener", "DeleteListener",
            "CreateRule", "DescribeRules", "ModifyRule", "DeleteRule", "SetRulePriorities",
            "AddTags", "RemoveTags", "DescribeTags", "DescribeAccountLimits", "DescribeSSLPolicies",
        ],
        "renames": {"Tag": "ElbTag", "Action": "ElbAction"},
        "model_class": "Elbv2Model",
    },
    "servicediscovery": {
        "model": "servicediscovery-2017-03-14.json",
        "namespace": "Gantry.Domain.ServiceDiscovery",
        "out": "src/Gantry.Domain/ServiceDiscovery/Shapes",
        "operations": [
            "CreatePrivateDnsNamespace", "CreateHttpNamespace", "CreatePublicDnsNamespace", "GetNamespace", "ListNamespaces",
            "DeleteNamespace", "UpdatePrivateDnsNamespace", "UpdateHttpNamespace",
            "CreateService", "GetService", "UpdateService", "DeleteService", "ListServices",
            "RegisterInstance", "DeregisterInstance", "GetInstance", "ListInstances", "DiscoverInstances", "DiscoverInstancesRevision",
            "GetInstancesHealthStatus", "UpdateInstanceCustomHealthStatus",
            "GetOperation", "ListOperations", "TagResource", "UntagResource", "ListTagsForResource",
        ],
        # Cloud Map's nouns are ECS's too (Service, Tag) or too general to read well beside them.
        "renames": {"Service": "DiscoveryService", "Instance": "DiscoveryInstance", "Tag": "DiscoveryTag", "Namespace": "DiscoveryNamespace",
                    "Operation": "DiscoveryOperation"},
        "model_class": "ServiceDiscoveryModel",
    },
    "ec2": {
        "botocore": "ec2/2016-11-15/service-2.json",
        "model": "botocore ec2 2016-11-15",
        "namespace": "Gantry.Domain.Ec2",
        "out": "src/Gantry.Domain/Ec2/Shapes",
        "operations": [
            "DescribeAvailabilityZones", "DescribeVpcs", "CreateVpc", "DeleteVpc", "DescribeSubnets", "CreateSubnet", "DeleteSubnet",
            "CreateSecurityGroup", "DescribeSecurityGroups", "DeleteSecurityGroup", "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "DescribeSecurityGroupRules",
            "DescribeNetworkInterfaces", "CreateTags", "DeleteTags", "DescribeTags",
        ],
        "renames": {"Tag": "Ec2Tag", "Filter": "Ec2Filter"},
        "model_class": "Ec2Model",
        # botocore's metadata omits the trailing slash EC2 answers with.
        "xml_namespace": "http://ec2.amazonaws.com/doc/2016-11-15/",
    },
    "secretsmanager": {
        "model": "secrets-manager-2017-10-17.json",
        "namespace": "Gantry.Domain.SecretsManager",
        "out": "src/Gantry.Domain/SecretsManager/Shapes",
        "operations": [
            "CreateSecret", "GetSecretValue", "PutSecretValue", "UpdateSecret", "DescribeSecret", "ListSecrets",
            "ListSecretVersionIds", "UpdateSecretVersionStage", "DeleteSecret", "RestoreSecret", "GetRandomPassword",
            "PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy", "ValidateResourcePolicy",
            "TagResource", "UntagResource",
        ],
        "renames": {"Tag": "SecretTag", "Filter": "SecretFilter"},
        "model_class": "SecretsManagerModel",
    },
    "ssm": {
        "model": "ssm-2014-11-06.json",
        "namespace": "Gantry.Domain.Ssm",
        "out": "src/Gantry.Domain/Ssm/Shapes",
        "operations": [
            "PutParameter", "GetParameter", "GetParameters", "GetParametersByPath", "DeleteParameter", "DeleteParameters",
            "DescribeParameters", "GetParameterHistory", "LabelParameterVersion", "UnlabelParameterVersion",
            "AddTagsToResource", "RemoveTagsFromResource", "ListTagsForResource",
        ],
        "renames": {"Tag": "SsmTag", "Parameter": "SsmParameter"},
        "model_class": "SsmModel",
    },
    # awsQuery services, generated for the front door's tests only until Gantry serves them.
    "iam": {
        "model": "iam-2010-05-08.json",
        "namespace": "Gantry.Domain.Iam",
        "out": "src/Gantry.Domain/Iam/Shapes",
        "operations": [
            "ListUsers", "GetAccountSummary",
            "UploadServerCertificate", "GetServerCertificate", "ListServerCertificates", "DeleteServerCertificate",
            "CreateUser", "GetUser", "UpdateUser", "DeleteUser", "TagUser", "UntagUser", "ListUserTags",
            "CreateGroup", "GetGroup", "ListGroups", "DeleteGroup", "AddUserToGroup", "RemoveUserFromGroup", "ListGroupsForUser",
            "CreateRole", "GetRole", "ListRoles", "UpdateRole", "UpdateAssumeRolePolicy", "DeleteRole", "TagRole", "UntagRole",
            "ListRoleTags",
            "CreatePolicy", "GetPolicy", "ListPolicies", "DeletePolicy", "CreatePolicyVersion", "GetPolicyVersion",
            "ListPolicyVersions", "DeletePolicyVersion", "SetDefaultPolicyVersion", "AttachUserPolicy", "DetachUserPolicy",
            "AttachGroupPolicy", "DetachGroupPolicy", "AttachRolePolicy", "DetachRolePolicy", "ListAttachedUserPolicies",
            "ListAttachedGroupPolicies", "ListAttachedRolePolicies", "ListEntitiesForPolicy", "TagPolicy", "UntagPolicy",
            "ListPolicyTags",
            "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy", "ListUserPolicies", "PutGroupPolicy", "GetGroupPolicy",
            "DeleteGroupPolicy", "ListGroupPolicies", "PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy", "ListRolePolicies",
            "CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey", "GetAccessKeyLastUsed",
        ],
        "renames": {"Tag": "IamTag"},
        "model_class": "IamModel",
    },
    "sts": {
        "model": "sts-2011-06-15.json",
        "namespace": "Gantry.Domain.Sts",
        "out": "src/Gantry.Domain/Sts/Shapes",
        "operations": ["GetCallerIdentity", "AssumeRole", "GetSessionToken"],
        "renames": {"Tag": "StsTag"},
        "model_class": "StsModel",
    },
    "cloudwatch": {
        "model": "cloudwatch-2010-08-01.json",
        "namespace": "Gantry.Api.Tests.Front.Query.CloudWatch",
        "out": "tests/Gantry.Api.Tests/Front/Query/Shapes/CloudWatch",
        "operations": ["PutMetricData", "GetMetricStatistics"],
        "renames": {},
        "model_class": "CloudWatchModel",
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
CSHARP_KEYWORDS = set("""abstract as base bool break byte case catch char checked class const continue decimal default delegate do
double else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface internal is lock
long namespace new null object operator out override params private protected public readonly ref return sbyte sealed short
sizeof stackalloc static string struct switch this throw true try typeof uint ulong unchecked unsafe ushort using virtual void
volatile while""".split())


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
        self.service_id, self.service = next((k, v) for k, v in self.shapes.items() if v["type"] == "service")
        traits = self.service.get("traits", {})
        self.protocol = next((t.split("#")[1] for t in traits if t.startswith("aws.protocols#")), None)
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
            members.append((member, self.type_of(spec["target"]), summary(spec.get("traits", {})), self.xml_traits(spec)))
        self.structures[shape_id] = (shape, members)

    def xml_traits(self, spec):
        """The [AwsXml(...)] arguments an awsQuery member needs: only the traits its model sets."""
        if self.protocol != "awsQuery":
            return None
        traits = spec.get("traits", {})
        target = self.shapes.get(spec["target"], {})
        found = []
        if "smithy.api#xmlName" in traits:
            found.append(f'Name = "{traits["smithy.api#xmlName"]}"')
        if "smithy.api#xmlFlattened" in traits:
            found.append("Flattened = true")
        if target.get("type") == "list" and "smithy.api#xmlName" in target["member"].get("traits", {}):
            found.append(f'MemberName = "{target["member"]["traits"]["smithy.api#xmlName"]}"')
        if target.get("type") == "map":
            for part, argument in (("key", "KeyName"), ("value", "ValueName")):
                if "smithy.api#xmlName" in target[part].get("traits", {}):
                    found.append(f'{argument} = "{target[part]["traits"]["smithy.api#xmlName"]}"')
        timestamp = traits.get("smithy.api#timestampFormat") or target.get("traits", {}).get("smithy.api#timestampFormat")
        if timestamp:
            found.append(f'TimestampFormat = "{timestamp}"')
        return ", ".join(found) or None

    def run(self):
        for op in self.config["operations"]:
            operation = self.shapes[self.prefix + op]
            for io in ("input", "output"):
                self.visit(operation[io]["target"])
        self.write_all()

    def write_all(self):
        out = os.path.join(ROOT, self.config["out"])
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        for shape_id, (shape, members) in sorted(self.structures.items()):
            self.write(out, self.name(shape_id), self.record(shape_id, shape, members))
        for shape_id, shape in sorted(self.enums.items()):
            self.write(out, self.name(shape_id) + "Values", self.enum(shape_id, shape))
        if "model_class" in self.config:
            self.write(out, self.config["model_class"], self.model_class())

    def model_class(self):
        """The service's identity as its model declares it, for registering it with the front door."""
        traits = self.service.get("traits", {})
        namespace = traits.get("smithy.api#xmlNamespace", {}).get("uri")
        lines = [f"/// <summary>The service {self.service_id.split('#')[1]} as its model declares it ({self.protocol}).</summary>",
                 f"public static class {self.config['model_class']}", "{",
                 f'    public const string Name = "{self.service_id.split("#")[1]}";', "",
                 f'    public const string SigningName = "{traits["aws.auth#sigv4"]["name"]}";', "",
                 f'    public const string Version = "{self.service["version"]}";']
        if namespace:
            lines += ["", f'    public const string XmlNamespace = "{namespace}";']
        if self.protocol == "awsQuery":
            lines += ["", "    /// <summary>The model's errors by shape name: their awsQuery code and HTTP status.</summary>",
                      "    public static readonly IReadOnlyDictionary<string, Gantry.Domain.Wire.AwsQueryError> Errors =",
                      "        new Dictionary<string, Gantry.Domain.Wire.AwsQueryError>(StringComparer.Ordinal)", "        {"]
            for shape_id, shape in sorted(self.shapes.items()):
                traits = shape.get("traits", {})
                if shape["type"] != "structure" or "smithy.api#error" not in traits:
                    continue
                name = shape_id.split("#")[1]
                query = traits.get("aws.protocols#awsQueryError", {})
                status = query.get("httpResponseCode") or traits.get("smithy.api#httpError") or (500 if traits["smithy.api#error"] == "server" else 400)
                lines.append(f'            ["{name}"] = new("{query.get("code", name)}", {status}),')
            lines.append("        };")
        lines.append("}")
        return "\n".join(lines) + "\n"

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
        for member, cs_type, doc, xml in members:
            prop = pascal(member)
            if prop == self.name(shape_id):
                prop += "Value"
            if doc:
                lines.append(f"    /// <summary>{doc}</summary>")
            lines.append(f'    [System.Text.Json.Serialization.JsonPropertyName("{member}")]')
            if xml:
                lines.append(f"    [Gantry.Domain.Wire.AwsXml({xml})]")
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
            if ident[0].isdigit() or ident in CSHARP_KEYWORDS or ident == "All":
                ident = "_" + ident
            lines.append(f'    public const string {ident} = "{value}";')
        lines.append("")
        lines.append("    public static readonly IReadOnlyList<string> All = [" + ", ".join(f'"{v}"' for v in values) + "];")
        lines.append("}")
        return "\n".join(lines) + "\n"


def botocore_model(relative):
    """A botocore service model (service-2.json, maybe gzipped), from BOTOCORE_DATA or the botocore this Python imports."""
    import gzip
    data = os.environ.get("BOTOCORE_DATA")
    if not data:
        import botocore
        data = os.path.join(os.path.dirname(botocore.__file__), "data")
    path = os.path.join(data, relative)
    opener = (lambda: gzip.open(path + ".gz", "rt", encoding="utf-8")) if not os.path.exists(path) else (lambda: open(path, encoding="utf-8"))
    with opener() as f:
        return json.load(f)


class BotocoreGenerator(Generator):
    """The same records from a botocore model (EC2's protocol "ec2", which has no Smithy model in aws-models)."""

    def __init__(self, config):
        self.config = config
        model = botocore_model(config["botocore"])
        self.metadata, self.operations = model["metadata"], model["operations"]
        self.shapes = model["shapes"]
        self.protocol = self.metadata["protocol"]
        self.structures, self.enums = {}, {}

    def name(self, shape_id):
        return self.config["renames"].get(shape_id, shape_id)

    def type_of(self, target):
        shape = self.shapes[target]
        kind = shape["type"]
        if kind == "string" and "enum" in shape:
            self.enums[target] = shape
            return "string"
        if kind in PRIMITIVES:
            return PRIMITIVES[kind]
        if kind == "list":
            return f"IReadOnlyList<{self.type_of(shape['member']['shape'])}>"
        if kind == "map":
            return f"IReadOnlyDictionary<string, {self.type_of(shape['value']['shape'])}>"
        if kind == "structure":
            self.visit(target)
            return self.name(target)
        raise ValueError(f"unsupported shape {target} of type {kind}")

    def visit(self, shape_id):
        if shape_id in self.structures:
            return
        self.structures[shape_id] = None
        shape = self.shapes[shape_id]
        members = []
        for member, spec in shape.get("members", {}).items():
            doc = summary({"smithy.api#documentation": spec.get("documentation", "")})
            members.append((member, self.type_of(spec["shape"]), doc, self.xml_traits(member, spec)))
        self.structures[shape_id] = ({"traits": {"smithy.api#documentation": shape.get("documentation", "")}}, members)

    def xml_traits(self, member, spec):
        """Answers name a member by its locationName; requests by queryName, else locationName capitalized (Ec2Serializer)."""
        found = []
        location = spec.get("locationName")
        if location and location != member:
            found.append(f'Name = "{location}"')
        query = spec.get("queryName") or (pascal(location) if location else member)
        if query != (location or member):
            found.append(f'QueryName = "{query}"')
        target = self.shapes[spec["shape"]]
        if target["type"] == "list":
            found.append(f'MemberName = "{target["member"].get("locationName", "item")}"')
        if target["type"] == "timestamp" and "timestampFormat" in target:
            found.append(f'TimestampFormat = "{target["timestampFormat"]}"')
        return ", ".join(found) or None

    def run(self):
        for op in self.config["operations"]:
            for io in ("input", "output"):
                if io in self.operations[op]:
                    self.visit(self.operations[op][io]["shape"])
        super().write_all()

    def enum(self, shape_id, shape):
        return super().enum(shape_id, {"members": {v: {"traits": {"smithy.api#enumValue": v}} for v in shape["enum"]}})

    def model_class(self):
        lines = [f"/// <summary>The service {self.metadata['serviceId']} as its botocore model declares it ({self.protocol}).</summary>",
                 f"public static class {self.config['model_class']}", "{",
                 f'    public const string Name = "{self.metadata["serviceId"]}";', "",
                 f'    public const string SigningName = "{self.metadata.get("signingName", self.metadata["endpointPrefix"])}";', "",
                 f'    public const string Version = "{self.metadata["apiVersion"]}";', "",
                 f'    public const string XmlNamespace = "{self.config.get("xml_namespace", self.metadata["xmlNamespace"])}";', "}"]
        return "\n".join(lines) + "\n"


def check_all_models():
    """Generates every operation of every model into a temporary directory; raises on a shape it cannot express."""
    with tempfile.TemporaryDirectory() as out:
        for model in sorted(f for f in os.listdir(MODELS) if f.endswith(".json")):
            with open(os.path.join(MODELS, model), encoding="utf-8") as f:
                shapes = json.load(f)["shapes"]
            operations = [k.split("#")[1] for k, v in shapes.items() if v["type"] == "operation"]
            generator = Generator({"model": model, "namespace": "Check", "out": os.path.join(out, model), "operations": operations,
                                   "renames": {}, "model_class": "CheckModel"})
            generator.run()
            print(f"{model}: {generator.protocol}, {len(operations)} operations, {len(generator.structures)} structures, {len(generator.enums)} enums")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        check_all_models()
    else:
        for service in sys.argv[1:] or SERVICES:
            config = SERVICES[service]
            (BotocoreGenerator if "botocore" in config else Generator)(config).run()
