namespace Gantry.Bench.Dns;

/// <summary>What a load run got: good answers (NOERROR with records), bad ones, windows lost to timeouts.</summary>
internal sealed record LoadResult(long Answered, long Bad, long Timeouts, TimeSpan Elapsed, double AverageAnswers);
