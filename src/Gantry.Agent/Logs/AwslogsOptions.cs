using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Agent.Logs;

/// <summary>
/// A container's <c>logConfiguration.options</c> for the <c>awslogs</c> driver, validated the way Docker validates them
/// (moby ValidateLogOpt and the logger's mode/max-buffer-size checks), with ECS's defaults.
/// </summary>
public sealed record AwslogsOptions
{
    public const string GroupKey = "awslogs-group";
    public const string RegionKey = "awslogs-region";
    public const string StreamPrefixKey = "awslogs-stream-prefix";
    public const string CreateGroupKey = "awslogs-create-group";
    public const string DatetimeFormatKey = "awslogs-datetime-format";
    public const string MultilinePatternKey = "awslogs-multiline-pattern";
    public const string ModeKey = "mode";
    public const string MaxBufferSizeKey = "max-buffer-size";

    /// <summary>
    /// What the ECS agent sets for a non-blocking container without max-buffer-size: 10m (amazon-ecs-agent #4524,
    /// 2025), read as Docker reads sizes, so 10 MiB. Docker's own default is 1,000,000 bytes.
    /// </summary>
    public const long DefaultMaxBufferSizeBytes = 10L * 1024 * 1024;

    /// <summary>Docker's explicit stream name (ECS documents the prefix instead; Docker honours this one).</summary>
    public const string StreamKey = "awslogs-stream";

    /// <summary>
    /// Options Docker's awslogs driver accepts that mean nothing here: Gantry ships to its own control plane with the
    /// agent's credentials, flushes within a second and batches by CloudWatch's limits.
    /// </summary>
    private static readonly string[] Ignored = ["awslogs-endpoint", "awslogs-credentials-endpoint", "awslogs-force-flush-interval-seconds",
        "awslogs-max-buffered-events", "awslogs-format", "tag"];

    private static readonly string[] Known = [GroupKey, RegionKey, StreamPrefixKey, StreamKey, CreateGroupKey, DatetimeFormatKey, MultilinePatternKey, ModeKey, MaxBufferSizeKey,
        .. Ignored];

    /// <summary>go-units' sizeRegex: a number, an optional space, an optional k/m/g/t/p prefix, optional i and b.</summary>
    private static readonly Regex SizePattern = new(@"^([0-9]+(\.[0-9]+)*) ?([kmgtp])?i?b?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public required string Group { get; init; }

    /// <summary>Null when not given; the caller falls back to the agent's own region.</summary>
    public string? Region { get; init; }

    public string? StreamPrefix { get; init; }

    public string? Stream { get; init; }

    public bool CreateGroup { get; init; }

    public string? DatetimeFormat { get; init; }

    public string? MultilinePattern { get; init; }

    /// <summary>ECS has defaulted to non-blocking since 25 June 2025 (account setting defaultLogDriverMode).</summary>
    public AwslogsMode Mode { get; init; } = AwslogsMode.NonBlocking;

    /// <summary>The non-blocking buffer; meaningless in blocking mode.</summary>
    public long MaxBufferSizeBytes { get; init; } = DefaultMaxBufferSizeBytes;

    /// <summary>Validates <paramref name="options"/> and applies the defaults.</summary>
    /// <exception cref="AwslogsOptionException">An option is missing, unknown or invalid; the message names it.</exception>
    public static AwslogsOptions Parse(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var key in options.Keys)
        {
            if (!Known.Contains(key, StringComparer.Ordinal))
            {
                throw new AwslogsOptionException(key, $"unknown log opt '{key}' for awslogs log driver (supported: {string.Join(", ", Known)})");
            }
        }

        var group = Value(options, GroupKey);
        if (group is null)
        {
            throw new AwslogsOptionException(GroupKey, $"must specify a value for log opt '{GroupKey}'");
        }
        // moby refuses the pair when both keys are present, even empty; were it not to, the datetime format would win.
        if (options.ContainsKey(DatetimeFormatKey) && options.ContainsKey(MultilinePatternKey))
        {
            throw new AwslogsOptionException(DatetimeFormatKey, $"you cannot configure log opt '{DatetimeFormatKey}' and '{MultilinePatternKey}' at the same time");
        }

        var parsed = new AwslogsOptions
        {
            Group = group,
            Region = Value(options, RegionKey),
            StreamPrefix = Value(options, StreamPrefixKey),
            Stream = Value(options, StreamKey),
            CreateGroup = ParseBool(options, CreateGroupKey),
            DatetimeFormat = Value(options, DatetimeFormatKey),
            MultilinePattern = Value(options, MultilinePatternKey),
            Mode = ParseMode(options),
        };
        parsed = parsed with { MaxBufferSizeBytes = ParseMaxBufferSize(options, parsed.Mode) };
        _ = parsed.CreateStartPattern(); // surfaces a bad pattern now rather than when the container starts logging
        return parsed;
    }

    /// <summary>
    /// The log stream of one container: awslogs-stream when given (Docker's option), else <c>prefix/containerName/taskId</c>
    /// with a prefix (what ECS documents), otherwise Docker's default, the container's full runtime id.
    /// </summary>
    public string StreamName(string containerName, string taskId) => Domain.Logs.AwslogsNaming.Name(Stream, StreamPrefix, containerName, taskId);

    /// <summary>The multiline start pattern (from the datetime format or the multiline pattern), or null for one event per line.</summary>
    /// <exception cref="AwslogsOptionException">The pattern does not compile.</exception>
    public Regex? CreateStartPattern()
    {
        var (key, pattern) = DatetimeFormat is not null
            ? (DatetimeFormatKey, Logs.DatetimeFormat.ToPattern(DatetimeFormat))
            : (MultilinePatternKey, MultilinePattern);
        if (pattern is null)
        {
            return null;
        }
        try
        {
            return StartPattern.Compile(pattern);
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            throw new AwslogsOptionException(key, $"awslogs could not parse log opt '{key}' as a regular expression ({pattern}): {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new AwslogsOptionException(key, $"log opt '{key}' uses a construct RE2 does not support ({pattern}): {e.Message}", e);
        }
    }

    /// <summary>Docker treats an empty option as an absent one.</summary>
    private static string? Value(IReadOnlyDictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private static bool ParseBool(IReadOnlyDictionary<string, string> options, string key)
    {
        var value = Value(options, key);
        if (value is null)
        {
            return false;
        }
        return bool.TryParse(value, out var result)
            ? result
            : throw new AwslogsOptionException(key, $"must specify valid value for log opt '{key}': '{value}' is neither 'true' nor 'false'");
    }

    private static AwslogsMode ParseMode(IReadOnlyDictionary<string, string> options) => Value(options, ModeKey) switch
    {
        null => AwslogsMode.NonBlocking,
        "blocking" => AwslogsMode.Blocking,
        "non-blocking" => AwslogsMode.NonBlocking,
        var other => throw new AwslogsOptionException(ModeKey, $"logging mode not supported: '{other}' (log opt '{ModeKey}' takes 'blocking' or 'non-blocking')"),
    };

    private static long ParseMaxBufferSize(IReadOnlyDictionary<string, string> options, AwslogsMode mode)
    {
        if (!options.TryGetValue(MaxBufferSizeKey, out var text))
        {
            return DefaultMaxBufferSizeBytes;
        }
        if (mode != AwslogsMode.NonBlocking)
        {
            throw new AwslogsOptionException(MaxBufferSizeKey, $"log opt '{MaxBufferSizeKey}' is only supported with 'mode=non-blocking'");
        }
        var match = SizePattern.Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var size))
        {
            throw new AwslogsOptionException(MaxBufferSizeKey, $"error parsing log opt '{MaxBufferSizeKey}': invalid size '{text}' (use e.g. 512k, 1m, 25m)");
        }
        var multiplier = match.Groups[3].Success
            ? char.ToLowerInvariant(match.Groups[3].Value[0]) switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, 't' => 1L << 40, _ => 1L << 50 }
            : 1L;
        var bytes = size * multiplier;
        return bytes is >= 1 and < long.MaxValue
            ? (long)bytes
            : throw new AwslogsOptionException(MaxBufferSizeKey, $"log opt '{MaxBufferSizeKey}' must be at least one byte and fit in 64 bits: '{text}'");
    }
}
