namespace Gantry.Simulator;

/// <summary>The control plane refused a simulated node's join for good (a wrong, revoked or expired token, another cluster): the fleet stops.</summary>
public sealed class JoinRefusedException : Exception
{
    public JoinRefusedException()
    {
    }

    public JoinRefusedException(string message)
        : base(message)
    {
    }

    public JoinRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
