using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Gantry.Agent.Images;

/// <summary>A <c>WWW-Authenticate: Bearer realm="…",service="…",scope="…"</c> challenge of the distribution token flow.</summary>
internal sealed partial record BearerChallenge(Uri Realm, string? Service, string? Scope)
{
    /// <summary>The Bearer challenge among <paramref name="challenges"/>, or null when there is none with a usable realm.</summary>
    public static BearerChallenge? Find(HttpHeaderValueCollection<AuthenticationHeaderValue> challenges)
    {
        foreach (var challenge in challenges)
        {
            if (!string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Parameter is null)
            {
                continue;
            }
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (Match match in Parameter().Matches(challenge.Parameter))
            {
                parameters[match.Groups["name"].Value] = match.Groups["quoted"].Success
                    ? match.Groups["quoted"].Value.Replace("\\\"", "\"", StringComparison.Ordinal)
                    : match.Groups["bare"].Value.Trim();
            }
            if (parameters.TryGetValue("realm", out var realm) && Uri.TryCreate(realm, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return new BearerChallenge(uri, parameters.GetValueOrDefault("service"), parameters.GetValueOrDefault("scope"));
            }
        }
        return null;
    }

    /// <summary>The token endpoint address with <c>service</c> and <c>scope</c> (the challenge's, else <paramref name="defaultScope"/>).</summary>
    public Uri TokenUri(string defaultScope)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(Service))
        {
            query.Add("service=" + Uri.EscapeDataString(Service));
        }
        query.Add("scope=" + Uri.EscapeDataString(string.IsNullOrEmpty(Scope) ? defaultScope : Scope));
        var builder = new UriBuilder(Realm);
        var existing = builder.Query.TrimStart('?');
        builder.Query = string.Join('&', string.IsNullOrEmpty(existing) ? query : query.Prepend(existing));
        return builder.Uri;
    }

    [GeneratedRegex("""(?<name>[A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"(?<quoted>(?:[^"\\]|\\.)*)"|(?<bare>[^,]*))""", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
