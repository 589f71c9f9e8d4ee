using Gantry.Agent.Protocol;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Logs.Shipping;

/// <summary>
/// Ships one container's output to its awslogs stream: tails conmon's log file from the position the control plane
/// has stored, assembles events (partial lines, multi-line patterns, size splits), batches them within PutLogEvents'
/// limits and sends each batch until it is stored. Blocking mode never drops a line (conmon's file is the buffer);
/// non-blocking mode skips ahead when more than max-buffer-size bytes wait. Ends once the container has exited and
/// everything it wrote is stored.
/// </summary>
public sealed partial class ContainerLogShipper(ShippingRecord record, ILogDestination destination, Func<bool> exited, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan IdleFlush = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly AwslogsOptions _options = AwslogsOptions.Parse(record.Options);
    private LogStreamRef? _stream;
    private readonly LogBatcher _batcher = new();
    private readonly List<AssembledLogEvent> _events = [];
    private long _lastOffset = -1;
    private long _ordinal;

    /// <summary>Ships until the container's output is all stored (true) or shipping had to give up (false); returns early on cancellation.</summary>
    public async Task<bool> RunAsync(CancellationToken ct)
    {
        long stored;
        _stream = record.StreamRef(_options.CreateGroup);
        try
        {
            stored = await RetryAsync(() => destination.OpenAsync(_stream, ct), ct).ConfigureAwait(false);
        }
        catch (LogGroupMissingException e)
        {
            LogGivingUp(logger, record.RuntimeId, e.Message);
            return false;
        }
        var offset = LogPosition.ResumeOffset(stored);
        var pattern = _options.CreateStartPattern();
        var assembler = new LogEventAssembler(pattern, offset);
        var records = new List<ConmonLogRecord>(4096);
        ConmonLogReader? reader = null;
        var poll = MinPoll;
        var lastData = time.GetUtcNow();
        var draining = false;
        try
        {
            while (true)
            {
                if (reader is null && File.Exists(record.LogPath))
                {
                    reader = ConmonLogReader.Open(record.LogPath, offset);
                }
                if (reader is not null && _options.Mode == AwslogsMode.NonBlocking && new FileInfo(record.LogPath).Length - reader.Offset > _options.MaxBufferSizeBytes)
                {
                    // Non-blocking: the backlog outgrew the buffer; drop the oldest lines (the partial first line is skipped by the reader).
                    var skipTo = new FileInfo(record.LogPath).Length - _options.MaxBufferSizeBytes;
                    LogDropped(logger, record.RuntimeId, skipTo - reader.Offset);
                    reader.Dispose();
                    reader = ConmonLogReader.Open(record.LogPath, skipTo);
                    assembler = new LogEventAssembler(pattern, skipTo);
                }
                records.Clear();
                var read = reader?.Read(records, 10_000) ?? 0;
                foreach (var item in records)
                {
                    assembler.Add(item, _events);
                }
                if (reader is not null)
                {
                    assembler.MarkConsumed(reader.Offset);
                }
                var now = time.GetUtcNow();
                if (read > 0)
                {
                    lastData = now;
                    poll = MinPoll;
                    await EmitAsync(ct).ConfigureAwait(false);
                    continue;
                }
                if (draining || (assembler.HasPending && now - lastData >= IdleFlush))
                {
                    assembler.Flush(_events);
                }
                await EmitAsync(ct).ConfigureAwait(false);
                await ShipAsync(ct).ConfigureAwait(false);
                if (draining)
                {
                    return true;
                }
                if (exited())
                {
                    draining = true; // one more read: what conmon wrote before it recorded the exit
                    continue;
                }
                await Task.Delay(poll, time, ct).ConfigureAwait(false);
                poll = TimeSpan.FromTicks(Math.Min(MaxPoll.Ticks, poll.Ticks * 2));
            }
        }
        catch (LogGroupMissingException e)
        {
            LogGivingUp(logger, record.RuntimeId, e.Message);
            return false;
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>Gives the assembled events their positions and batches them, sending every batch that fills up.</summary>
    private async Task EmitAsync(CancellationToken ct)
    {
        foreach (var e in _events)
        {
            _ordinal = e.SourceOffset == _lastOffset ? _ordinal + 1 : 0;
            _lastOffset = e.SourceOffset;
            var positioned = e with { SourceOffset = LogPosition.Of(e.SourceOffset, _ordinal) };
            if (!_batcher.TryAdd(positioned))
            {
                await ShipAsync(ct).ConfigureAwait(false);
                _batcher.TryAdd(positioned);
            }
        }
        _events.Clear();
    }

    private async Task ShipAsync(CancellationToken ct)
    {
        if (_batcher.TakeBatch() is not { } batch)
        {
            return;
        }
        var message = new LogBatch { Stream = _stream };
        message.Events.AddRange(batch.Events.Select(e => new LogEvent { TimestampMs = e.TimestampMs, Message = e.Message, Position = e.SourceOffset }));
        await RetryAsync(() => destination.ShipAsync(message, ct), ct).ConfigureAwait(false);
    }

    /// <summary>Retries a call while the control plane is unreachable (blocking delivery: the batch waits, it is not dropped).</summary>
    private async Task<long> RetryAsync(Func<Task<long>> call, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or HttpRequestException or IOException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                LogRetrying(logger, record.RuntimeId, e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, time, ct).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Logs of {Id}: shipping failed ({Reason}); retrying in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, string id, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Logs of {Id}: giving up: {Reason}")]
    private static partial void LogGivingUp(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Logs of {Id}: non-blocking mode dropped {Bytes} bytes of output the control plane could not take in time")]
    private static partial void LogDropped(ILogger logger, string id, long bytes);
}
