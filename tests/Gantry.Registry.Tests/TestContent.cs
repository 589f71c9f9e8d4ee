using System.Security.Cryptography;
using System.Text;

namespace Gantry.Registry.Tests;

/// <summary>Content for tests: random bytes (so unrelated blobs never collide) and UTF-8 text.</summary>
internal static class TestContent
{
    public static byte[] Random(int length) => RandomNumberGenerator.GetBytes(length);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static string Sha512Of(byte[] content) => "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content));
}
