using System.Text;
using System.Xml;
using Gantry.Api.Front.Query;

namespace Gantry.Api.Front.Ec2;

/// <summary>
/// Writes EC2's answers: <c>&lt;XResponse xmlns="..."&gt;&lt;requestId&gt;…&lt;/requestId&gt;</c> then the output's members as
/// awsQuery writes them (no Result wrapper; an operation without output answers <c>&lt;return&gt;true&lt;/return&gt;</c> as EC2
/// does), and errors as <c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;/Errors&gt;&lt;RequestID/&gt;</c>.
/// </summary>
internal static class Ec2XmlWriter
{
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true };

    /// <summary>EC2 declares its encoding in capitals; XmlWriter would write <c>utf-8</c>.</summary>
    private static readonly byte[] Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"u8.ToArray();

    public static byte[] Response(string action, string xmlNamespace, object? output, string requestId) => Write(xml =>
    {
        xml.WriteStartElement(action + "Response", xmlNamespace);
        xml.WriteElementString("requestId", xmlNamespace, requestId);
        if (output is null)
        {
            xml.WriteElementString("return", xmlNamespace, "true");
        }
        else
        {
            QueryXmlWriter.Members(xml, QueryType.StructureOf(output.GetType()), output, xmlNamespace);
        }
        xml.WriteEndElement();
    });

    public static byte[] Error(string code, string message, string requestId) => Write(xml =>
    {
        xml.WriteStartElement("Response");
        xml.WriteStartElement("Errors");
        xml.WriteStartElement("Error");
        xml.WriteElementString("Code", code);
        xml.WriteElementString("Message", QueryXmlWriter.XmlText(message));
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteElementString("RequestID", requestId);
        xml.WriteEndElement();
    });

    private static byte[] Write(Action<XmlWriter> body) => [.. Declaration, .. QueryXmlWriter.Write(body, Settings)];
}
