using System.Collections;
using System.Text;
using System.Xml;

namespace Gantry.Api.Front.Query;

/// <summary>
/// Writes awsQuery answers: <c>&lt;XResponse xmlns="..."&gt;&lt;XResult&gt;…&lt;/XResult&gt;&lt;ResponseMetadata&gt;&lt;RequestId&gt;</c>
/// with members as elements by the model's rules (lists <c>&lt;A&gt;&lt;member&gt;</c>, flattened <c>&lt;A&gt;</c> repeated, maps
/// <c>&lt;A&gt;&lt;entry&gt;&lt;key/&gt;&lt;value/&gt;</c>), and errors as <c>&lt;ErrorResponse&gt;</c>. Absent (null) members are left out;
/// a character XML 1.0 cannot carry (NUL, a lone surrogate, ...), in a value or in a message that quotes one, is written as U+FFFD.
/// </summary>
internal static class QueryXmlWriter
{
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };

    public static byte[] Response(string action, string xmlNamespace, object? output, string requestId) => Write(xml =>
    {
        xml.WriteStartElement(action + "Response", xmlNamespace);
        if (output is not null)
        {
            xml.WriteStartElement(action + "Result", xmlNamespace);
            Members(xml, QueryType.StructureOf(output.GetType()), output, xmlNamespace);
            xml.WriteEndElement();
        }
        xml.WriteStartElement("ResponseMetadata", xmlNamespace);
        xml.WriteElementString("RequestId", xmlNamespace, requestId);
        xml.WriteEndElement();
        xml.WriteEndElement();
    });

    /// <param name="fault"><c>Sender</c> for the caller's errors, <c>Receiver</c> for the server's.</param>
    public static byte[] Error(string? xmlNamespace, string fault, string code, string message, string requestId) => Write(xml =>
    {
        var ns = xmlNamespace ?? "";
        xml.WriteStartElement("ErrorResponse", ns);
        xml.WriteStartElement("Error", ns);
        xml.WriteElementString("Type", ns, fault);
        xml.WriteElementString("Code", ns, code);
        xml.WriteElementString("Message", ns, XmlText(message));
        xml.WriteEndElement();
        xml.WriteElementString("RequestId", ns, requestId);
        xml.WriteEndElement();
    });

    internal static byte[] Write(Action<XmlWriter> body, XmlWriterSettings? settings = null)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings ?? Settings))
        {
            body(xml);
        }
        return buffer.ToArray();
    }

    internal static void Members(XmlWriter xml, QueryStructure structure, object value, string ns)
    {
        foreach (var member in structure.Members)
        {
            if (member.Property.GetValue(value) is { } memberValue)
            {
                Value(xml, member.Name, member.Type, memberValue, ns);
            }
        }
    }

    private static void Value(XmlWriter xml, string name, QueryType type, object value, string ns)
    {
        switch (type.Kind)
        {
            case QueryKind.Structure:
                xml.WriteStartElement(name, ns);
                Members(xml, type.Structure!, value, ns);
                xml.WriteEndElement();
                break;
            case QueryKind.List:
                if (!type.Flattened)
                {
                    xml.WriteStartElement(name, ns);
                }
                foreach (var entry in ((IEnumerable)value).OfType<object>())
                {
                    Value(xml, type.Flattened ? name : type.MemberName, type.Element!, entry, ns);
                }
                if (!type.Flattened)
                {
                    xml.WriteEndElement();
                }
                break;
            case QueryKind.Map:
                if (!type.Flattened)
                {
                    xml.WriteStartElement(name, ns);
                }
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    xml.WriteStartElement(type.Flattened ? name : "entry", ns);
                    xml.WriteElementString(type.KeyName, ns, XmlText((string)entry.Key));
                    if (entry.Value is { } entryValue)
                    {
                        Value(xml, type.ValueName, type.Element!, entryValue, ns);
                    }
                    xml.WriteEndElement();
                }
                if (!type.Flattened)
                {
                    xml.WriteEndElement();
                }
                break;
            default:
                xml.WriteElementString(name, ns, XmlText(QueryValues.Format(type, value)));
                break;
        }
    }

    /// <summary><paramref name="text"/> with every character XML 1.0 cannot carry replaced by U+FFFD.</summary>
    internal static string XmlText(string text)
    {
        StringBuilder? replaced = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                replaced?.Append(text, i, 2);
                i++;
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                replaced?.Append(text[i]);
            }
            else
            {
                replaced ??= new StringBuilder(text.Length).Append(text, 0, i);
                replaced.Append('\uFFFD');
            }
        }
        return replaced?.ToString() ?? text;
    }
}
