using Gantry.Api.Front;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>
/// One hostile request: the operation's target, what was done to its input, and the raw body: AWS JSON, or with
/// <paramref name="QueryService"/> an awsQuery form signed for that service's signing name.
/// </summary>
public sealed record FuzzCase(string Target, string Description, byte[] Body, AwsService? QueryService = null);
