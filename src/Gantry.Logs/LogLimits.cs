namespace Gantry.Logs;

/// <summary>The bounds every log store applies the same way, so paging and deletes behave alike on each backend.</summary>
internal static class LogLimits
{
    /// <summary>Events deleted per transaction by purges and retention, so readers and appends interleave.</summary>
    public const int DeleteChunk = 5_000;

    /// <summary>Rows one FilterEvents call examines at most before it returns a token to go on.</summary>
    public const int ScanBudgetRows = 100_000;

    /// <summary>Message bytes one page carries at most (past the first event), as AWS caps responses at 1 MB.</summary>
    public const int PageBytes = 1 << 20;

    /// <summary>Sorts after every name that starts with a given prefix (U+10FFFF, the largest code point).</summary>
    public const string PrefixEnd = "\U0010FFFF";

    public const long MillisecondsPerDay = 86_400_000;
}
