using System.Runtime.InteropServices;

namespace Gantry.Oci.Build;

/// <summary>Names processor architectures the way OCI platforms do: Go's <c>GOARCH</c> values.</summary>
public static class GoArchitecture
{
    /// <summary>The GOARCH of the machine this runs on.</summary>
    public static string Current => From(RuntimeInformation.OSArchitecture);

    /// <summary>The GOARCH name of <paramref name="architecture"/> (X64 → amd64, Arm64 → arm64, …).</summary>
    /// <exception cref="PlatformNotSupportedException">An architecture OCI images have no name for.</exception>
    public static string From(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm or Architecture.Armv6 => "arm",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loong64",
        Architecture.Wasm => "wasm",
        _ => throw new PlatformNotSupportedException($"no OCI architecture name for {architecture}"),
    };
}
