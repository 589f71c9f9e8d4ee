namespace Gantry.Oci.Build;

/// <summary>A blob <see cref="ImageBuilder"/> wrote: its descriptor and the file that holds its content.</summary>
public sealed record BuiltBlob(Descriptor Descriptor, string Path);
