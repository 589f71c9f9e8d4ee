namespace Gantry.Fuzz.Tests.Generation;

/// <summary>One hostile request: the operation's target, what was done to its input, and the raw body.</summary>
public sealed record FuzzCase(string Target, string Description, byte[] Body);
