using System.Text;
using System.Xml.Linq;
using Gantry.Api.Ec2;
using Gantry.Api.Front;
using Gantry.Api.Front.Ec2;
using Gantry.Domain.Ec2;
using Gantry.Domain.Errors;
using Microsoft.AspNetCore.Http;

namespace Gantry.Api.Tests.Ec2;

/// <summary>
/// The ec2 protocol codec against botocore's EC2 shapes: requests keyed as botocore's Ec2Serializer keys them (lists
/// <c>Name.N</c> under queryName / capitalized locationName), answers as its EC2QueryParser reads them.
/// </summary>
public sealed class Ec2CodecTests
{
    private static readonly XNamespace Ns = Ec2Model.XmlNamespace;

    private static readonly AwsOperationTable Table = new AwsOperationTable.Builder()
        .Service(Ec2Operations.Service)
        .Map<AuthorizeSecurityGroupIngressRequest, AuthorizeSecurityGroupIngressResult>(Ec2Model.Name, "AuthorizeSecurityGroupIngress",
            (_, _, _) => Task.FromResult(new AuthorizeSecurityGroupIngressResult()))
        .Map<DescribeVpcsRequest, DescribeVpcsResult>(Ec2Model.Name, "DescribeVpcs", (_, _, _) => Task.FromResult(new DescribeVpcsResult()))
        .Map<DeleteVpcRequest>(Ec2Model.Name, "DeleteVpc", (_, _, _) => Task.CompletedTask)
        .Build();

    private static readonly Ec2QueryCodec Codec = new(Table);

    [Fact]
    public void Lists_are_flattened_Name_N_under_the_request_names()
    {
        var input = Decode<AuthorizeSecurityGroupIngressRequest>(string.Join('&', "Action=AuthorizeSecurityGroupIngress", "Version=2016-11-15",
            "GroupId=sg-1", "IpPermissions.1.IpProtocol=tcp", "IpPermissions.1.FromPort=22", "IpPermissions.1.ToPort=22",
            "IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0%2F8", "IpPermissions.1.IpRanges.1.Description=ssh",
            "IpPermissions.1.Groups.1.GroupId=sg-2", "IpPermissions.2.IpProtocol=-1", "IpPermissions.2.IpRanges.1.CidrIp=0.0.0.0%2F0",
            "DryRun=false"));
        Assert.Equal("sg-1", input.GroupId);
        Assert.False(input.DryRun);
        var ssh = input.IpPermissions![0];
        Assert.Equal(("tcp", 22, 22), (ssh.IpProtocol, ssh.FromPort, ssh.ToPort));
        Assert.Equal(("10.0.0.0/8", "ssh"), (ssh.IpRanges![0].CidrIp, ssh.IpRanges[0].Description));
        Assert.Equal("sg-2", Assert.Single(ssh.UserIdGroupPairs!).GroupId);
        Assert.Equal("-1", input.IpPermissions[1].IpProtocol);
    }

    [Fact]
    public void Id_lists_and_filters_take_their_singular_location_names()
    {
        var input = Decode<DescribeVpcsRequest>("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-a&VpcId.2=vpc-b"
            + "&Filter.1.Name=tag%3Aenv&Filter.1.Value.1=prod&Filter.1.Value.2=dev&Filter.2.Name=is-default&Filter.2.Value.1=true");
        Assert.Equal(["vpc-a", "vpc-b"], input.VpcIds);
        Assert.Equal("tag:env", input.Filters![0].Name);
        Assert.Equal(["prod", "dev"], input.Filters[0].Values);
        Assert.Equal("is-default", input.Filters[1].Name);
    }

    [Fact]
    public async Task Answers_carry_requestId_and_the_members_by_locationName_with_item_lists_and_no_Result()
    {
        var output = new DescribeVpcsResult
        {
            Vpcs = [new Vpc { VpcId = "vpc-1", CidrBlock = "10.0.0.0/16", IsDefault = true, Tags = [new Ec2Tag { Key = "env", Value = "prod" }] }],
        };
        var (status, xml) = await WriteAsync("DescribeVpcs", output);
        Assert.Equal(200, status);
        Assert.Equal(Ns + "DescribeVpcsResponse", xml.Root!.Name);
        Assert.Equal((Ns + "requestId", "req-1"), (xml.Root.Elements().First().Name, xml.Root.Elements().First().Value));
        Assert.Null(xml.Root.Element(Ns + "DescribeVpcsResult"));
        var vpc = Assert.Single(xml.Root.Element(Ns + "vpcSet")!.Elements(Ns + "item"));
        Assert.Equal(("vpc-1", "10.0.0.0/16", "true"), (vpc.Element(Ns + "vpcId")!.Value, vpc.Element(Ns + "cidrBlock")!.Value, vpc.Element(Ns + "isDefault")!.Value));
        var tag = vpc.Element(Ns + "tagSet")!.Element(Ns + "item")!;
        Assert.Equal(("env", "prod"), (tag.Element(Ns + "key")!.Value, tag.Element(Ns + "value")!.Value));
    }

    [Fact]
    public async Task An_operation_without_output_answers_return_true()
    {
        var (_, xml) = await WriteAsync("DeleteVpc", null);
        Assert.Equal(Ns + "DeleteVpcResponse", xml.Root!.Name);
        Assert.Equal("true", xml.Root.Element(Ns + "return")!.Value);
    }

    [Theory]
    [InlineData("InvalidGroup.NotFound", 400, "InvalidGroup.NotFound")]
    [InlineData("ThrottlingException", 503, "RequestLimitExceeded")]
    [InlineData("ServerException", 500, "InternalError")]
    [InlineData("InvalidSignatureException", 403, "SignatureDoesNotMatch")]
    public async Task Errors_are_Response_Errors_Error_with_Code_Message_and_RequestID(string type, int status, string code)
    {
        var context = Context("");
        await Codec.WriteErrorAsync(context, new AwsException(type, "The security group 'sg-123' does not exist"), "req-2");
        var text = Text(context);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", text, StringComparison.Ordinal);
        var xml = XDocument.Parse(text);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("Response", xml.Root!.Name.LocalName);
        Assert.Equal("", xml.Root.Name.NamespaceName);
        var error = xml.Root.Element("Errors")!.Element("Error")!;
        Assert.Equal((code, "The security group 'sg-123' does not exist"), (error.Element("Code")!.Value, error.Element("Message")!.Value));
        Assert.Equal("req-2", xml.Root.Element("RequestID")!.Value);
    }

    private static TInput Decode<TInput>(string form)
    {
        var context = Context(form);
        var (_, input) = Codec.Decode(context.Request, new AwsRoute(Ec2Operations.Service, null, 1 << 20), Encoding.UTF8.GetBytes(form));
        return Assert.IsType<TInput>(input);
    }

    private static async Task<(int Status, XDocument Xml)> WriteAsync(string action, object? output)
    {
        Assert.True(Table.TryGet(Ec2Operations.Service, action, out var operation));
        var context = Context("");
        await Codec.WriteResultAsync(context, operation, output, "req-1", CancellationToken.None);
        return (context.Response.StatusCode, XDocument.Parse(Text(context)));
    }

    private static DefaultHttpContext Context(string form)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/x-www-form-urlencoded; charset=utf-8";
        context.Request.ContentLength = form.Length;
        context.Request.Headers.Authorization = "AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00";
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Text(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
