namespace Gantry.Cli.Commands;

/// <summary>Prints rows as aligned columns that fit the terminal: the widest column is shortened (with …) first.</summary>
internal static class TableWriter
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, int width)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        while (widths.Sum() + (2 * (widths.Length - 1)) > width && widths.Max() > 8)
        {
            widths[Array.IndexOf(widths, widths.Max())]--;
        }
        output.WriteLine(Line(headers, widths));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    public static int TerminalWidth()
    {
        try
        {
            return Console.IsOutputRedirected ? 160 : Math.Max(40, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 160;
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => Fit(c, widths[i]).PadRight(widths[i]))).TrimEnd();

    private static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
