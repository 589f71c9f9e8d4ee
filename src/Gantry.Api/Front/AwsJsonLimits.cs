namespace Gantry.Api.Front;

/// <summary>Limits of the JSON front door.</summary>
public static class AwsJsonLimits
{
    /// <summary>Largest accepted request body. ECS caps a task definition at 64 KiB; Logs batches reach 1 MiB.</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    /// <summary>ECR's UploadLayerPart carries up to 20 MiB of layer, base64-encoded in JSON.</summary>
    public const int MaxLayerPartBodyBytes = 28 * 1024 * 1024;

    /// <summary>PutLogEvents carries 1 MiB of messages; JSON escaping of control characters can grow that sixfold.</summary>
    public const int MaxLogEventsBodyBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Server-wide cap on the bytes of request bodies in flight, read before their signature is checked and held
    /// until answered: two full layer parts and change. Only requests whose headers already passed (known key,
    /// valid scope and date) draw on it.
    /// </summary>
    public const long MaxBodyBytesInFlight = 64 * 1024 * 1024;

    /// <summary>How long a request waits for <see cref="MaxBodyBytesInFlight"/> to free up before ThrottlingException.</summary>
    public static readonly TimeSpan BodyBudgetWait = TimeSpan.FromSeconds(5);

    public static int For(string target) =>
        target.EndsWith(".UploadLayerPart", StringComparison.Ordinal) ? MaxLayerPartBodyBytes
        : target.EndsWith(".PutLogEvents", StringComparison.Ordinal) ? MaxLogEventsBodyBytes
        : MaxBodyBytes;
}
