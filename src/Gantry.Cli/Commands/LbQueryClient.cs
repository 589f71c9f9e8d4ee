using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Gantry.Auth.SigV4;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Errors;

namespace Gantry.Cli.Commands;

/// <summary>Signed ELBv2 (awsQuery) calls from `gantry lb`: a form-encoded POST, an XML answer, errors as <see cref="AwsException"/>.</summary>
internal sealed class LbQueryClient(HttpClient http, Uri endpoint, GantryCredentials credentials, string region)
{
    public static readonly XNamespace Ns = Elbv2Model.XmlNamespace;

    /// <summary>The <c>&lt;Action&gt;Result</c> element of the answer to <paramref name="action"/> with <paramref name="parameters"/>.</summary>
    public async Task<XElement> CallAsync(string action, IEnumerable<(string Name, string Value)> parameters, CancellationToken ct)
    {
        var form = string.Join('&', new[] { ("Action", action), ("Version", Elbv2Model.Version) }.Concat(parameters)
            .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"));
        var body = Encoding.UTF8.GetBytes(form);
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
        new SigV4Signer(credentials.AccessKeyId, credentials.SecretAccessKey, region, Elbv2Model.SigningName, TimeProvider.System).Sign(message, body);
        using var response = await http.SendAsync(message, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        XElement root;
        try
        {
            root = XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            throw new AwsException($"HTTP{(int)response.StatusCode}", text);
        }
        if (!response.IsSuccessStatusCode)
        {
            var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            throw new AwsException(Child(error, "Code") ?? $"HTTP{(int)response.StatusCode}", Child(error, "Message") ?? text);
        }
        return root.Element(Ns + $"{action}Result") ?? new XElement(Ns + $"{action}Result");
    }

    /// <summary>The text of child <paramref name="name"/>, or null.</summary>
    public static string? Text(XElement? element, string name) => element?.Element(Ns + name)?.Value;

    /// <summary>The <c>member</c>s of list <paramref name="name"/>.</summary>
    public static IEnumerable<XElement> Members(XElement? element, string name) => element?.Element(Ns + name)?.Elements(Ns + "member") ?? [];

    private static string? Child(XElement? element, string name) => element?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
