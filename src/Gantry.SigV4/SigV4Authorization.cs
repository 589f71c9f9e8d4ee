using System.Diagnostics.CodeAnalysis;

namespace Gantry.Auth.SigV4;

/// <summary>The parsed <c>Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...</c> header.</summary>
public sealed record SigV4Authorization(string Algorithm, string AccessKeyId, string Date, string Region, string Service,
    IReadOnlyList<string> SignedHeaders, string Signature)
{
    public string Scope => $"{Date}/{Region}/{Service}/aws4_request";

    public static bool TryParse(string header, [NotNullWhen(true)] out SigV4Authorization? result, out string problem)
    {
        result = null;
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var algorithm = space < 0 ? header : header[..space];
        if (algorithm != SigV4Canonical.Algorithm)
        {
            problem = $"Unsupported signing algorithm '{algorithm}'; only {SigV4Canonical.Algorithm} is accepted.";
            return false;
        }
        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[(space + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }
            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }
        var missing = new[] { ("Credential", credential), ("SignedHeaders", signedHeaders), ("Signature", signature) }
            .Where(p => string.IsNullOrEmpty(p.Item2)).Select(p => $"Authorization header requires '{p.Item1}' parameter.").ToList();
        if (missing.Count > 0)
        {
            problem = string.Join(' ', missing) + $" Authorization={algorithm}";
            return false;
        }
        var scope = credential!.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[1].Length != 8 || scope.Any(string.IsNullOrEmpty))
        {
            problem = $"Credential '{credential}' must have the form <key>/<yyyyMMdd>/<region>/<service>/aws4_request.";
            return false;
        }
        result = new SigV4Authorization(algorithm, scope[0], scope[1], scope[2], scope[3], signedHeaders!.Split(';'), signature!);
        problem = "";
        return true;
    }
}
