using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.Api.Iam;

/// <summary>Stored IAM server certificates by ARN (<c>arn:aws:iam::&lt;account&gt;:server-certificate/&lt;path&gt;&lt;name&gt;</c>; keyed by name).</summary>
public sealed class ServerCertificates(Documents documents)
{
    /// <summary>The certificate an ARN names, or null.</summary>
    public async Task<ServerCertificateRecord?> FindByArnAsync(string arn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var marker = arn.IndexOf(":server-certificate/", StringComparison.Ordinal);
        if (marker < 0 || !arn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return null;
        }
        var name = arn[(arn.LastIndexOf('/') + 1)..];
        var found = name.Length == 0 ? null : await documents.GetAsync<ServerCertificateRecord>(ElbKinds.ServerCertificate, name, ct).ConfigureAwait(false);
        return found?.Value.Metadata.Arn == arn ? found.Value : null;
    }
}
