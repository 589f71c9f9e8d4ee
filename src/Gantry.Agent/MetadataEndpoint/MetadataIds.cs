using System.Net;
using System.Security.Cryptography;

namespace Gantry.Agent.MetadataEndpoint;

/// <summary>The task metadata endpoint's address and the per-container ids in its URIs.</summary>
public static class MetadataIds
{
    /// <summary>ECS's address of the endpoint, as containers reach it.</summary>
    public static IPAddress DefaultAddress { get; } = IPAddress.Parse("169.254.170.2");

    public static Uri DefaultBase { get; } = new("http://169.254.170.2");

    /// <summary>The endpoint's port (ECS serves it on 80).</summary>
    public const int Port = 80;

    /// <summary>A new endpoint id: a random (version 4) UUID from the system's secure random source, so no task can guess another's.</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3f) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
