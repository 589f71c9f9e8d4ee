using System.Runtime.CompilerServices;

namespace Gantry.Dns.Authority;

/// <summary>Room on the stack for the nodes whose addresses go in an answer's additional section.</summary>
[InlineArray(Length)]
internal struct TargetBuffer
{
    public const int Length = 8;

    private NameNode? _element;
}
