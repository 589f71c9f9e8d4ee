using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Gantry.Oci;

/// <summary>A content digest <c>algorithm:hex</c> as the OCI image spec defines it (sha256 and sha512 are registered).</summary>
public sealed record Digest(string Algorithm, string Hex)
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    public override string ToString() => $"{Algorithm}:{Hex}";

    /// <summary>Parses a digest of a supported algorithm with the exact hex length; false for anything else.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Digest? digest)
    {
        digest = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }
        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var length = algorithm switch { Sha256 => 64, Sha512 => 128, _ => -1 };
        if (hex.Length != length || !hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            return false;
        }
        digest = new Digest(algorithm, hex);
        return true;
    }

    /// <summary>True when the text has the digest grammar <c>algorithm:encoded</c>, even for an algorithm Gantry does not support.</summary>
    public static bool LooksLikeDigest(string text) => text.Contains(':', StringComparison.Ordinal);

    public IncrementalHash CreateHash() => CreateHash(Algorithm);

    /// <summary>An incremental hash of <paramref name="algorithm"/> (sha512, else sha256).</summary>
    public static IncrementalHash CreateHash(string algorithm) =>
        IncrementalHash.CreateHash(algorithm == Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);

    public static Digest FromHash(string algorithm, IncrementalHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return new Digest(algorithm, Convert.ToHexStringLower(hash.GetCurrentHash()));
    }

    public static Digest Of(ReadOnlySpan<byte> content) => new(Sha256, Convert.ToHexStringLower(SHA256.HashData(content)));

    public static async Task<Digest> OfAsync(Stream content, string algorithm, CancellationToken ct)
    {
        var hex = algorithm == Sha512
            ? await SHA512.HashDataAsync(content, ct).ConfigureAwait(false)
            : await SHA256.HashDataAsync(content, ct).ConfigureAwait(false);
        return new Digest(algorithm, Convert.ToHexStringLower(hex));
    }
}
