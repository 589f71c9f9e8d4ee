using Gantry.Oci;

namespace Gantry.Registry.Tests;

/// <summary>A stored blob as a manifest references it.</summary>
internal sealed record Blob(Digest Digest, long Size);
