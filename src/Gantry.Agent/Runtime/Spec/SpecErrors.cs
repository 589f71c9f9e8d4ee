namespace Gantry.Agent.Runtime.Spec;

/// <summary>Builds the exceptions a refused definition raises, worded as ECS container reasons.</summary>
internal static class SpecErrors
{
    public static CannotStartContainerException CannotStart(string detail) => new($"CannotStartContainerError: {detail}");
}
