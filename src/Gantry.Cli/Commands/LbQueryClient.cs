using System.Text;
using System.Xml.Linq;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Errors;

namespace Gantry.Cli.Commands;

/// <summary>Signed ELBv2 (awsQuery) calls from `gantry lb` through <see cref="GantryClient"/>: a form-encoded POST, an XML answer, errors as <see cref="AwsException"/>.</summary>
internal sealed class LbQueryClient(GantryClient client)
{
    public static readonly XNamespace Ns = Elbv2Model.XmlNamespace;

    /// <summary>The <c>&lt;Action&gt;Result</c> element of the answer to <paramref name="action"/> with <paramref name="parameters"/>.</summary>
    public async Task<XElement> CallAsync(string action, IEnumerable<(string Name, string Value)> parameters, CancellationToken ct)
    {
        var form = string.Join('&', new[] { ("Action", action), ("Version", Elbv2Model.Version) }.Concat(parameters)
            .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"));
        var (status, text) = await client.SendAsync(Elbv2Model.SigningName, "application/x-www-form-urlencoded; charset=utf-8", null, Encoding.UTF8.GetBytes(form), ct)
            .ConfigureAwait(false);
        XElement root;
        try
        {
            root = XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            throw new AwsException($"HTTP{(int)status}", text);
        }
        if (!GantryClient.IsSuccess(status))
        {
            var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            throw new AwsException(Child(error, "Code") ?? $"HTTP{(int)status}", Child(error, "Message") ?? text);
        }
        return root.Element(Ns + $"{action}Result") ?? new XElement(Ns + $"{action}Result");
    }

    /// <summary>The text of child <paramref name="name"/>, or null.</summary>
    public static string? Text(XElement? element, string name) => element?.Element(Ns + name)?.Value;

    /// <summary>The <c>member</c>s of list <paramref name="name"/>.</summary>
    public static IEnumerable<XElement> Members(XElement? element, string name) => element?.Element(Ns + name)?.Elements(Ns + "member") ?? [];

    private static string? Child(XElement? element, string name) => element?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
