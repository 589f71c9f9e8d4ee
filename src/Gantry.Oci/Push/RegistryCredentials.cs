using System.Net.Http.Headers;
using System.Text;

namespace Gantry.Oci.Push;

/// <summary>Basic auth credentials for a registry. <see cref="ToString"/> never shows the password.</summary>
public sealed record RegistryCredentials(string User, string Password)
{
    /// <summary>The <c>Authorization: Basic …</c> header value.</summary>
    public AuthenticationHeaderValue ToBasicAuthorization() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));

    public override string ToString() => $"RegistryCredentials {{ User = {User}, Password = *** }}";
}
