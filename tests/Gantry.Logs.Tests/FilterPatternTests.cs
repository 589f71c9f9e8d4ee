namespace Gantry.Logs.Tests;

public sealed class FilterPatternTests
{
    // The examples of the CloudWatch Logs filter pattern documentation, plus edges.
    [Theory]
    [InlineData("ERROR", "[ERROR] A fatal exception has occurred", true)]
    [InlineData("ERROR", "Exiting with ERRORCODE: -1", true)]
    [InlineData("ERROR", "[error] lower case", false)]
    [InlineData("ERROR Exception", "[ERROR] Caught IllegalArgumentException", true)]
    [InlineData("ERROR Exception", "[ERROR] Unhandled Exception", true)]
    [InlineData("ERROR Exception", "[ERROR] nothing thrown", false)]
    [InlineData("ERROR -Exiting", "Exiting with ERRORCODE: -1", false)]
    [InlineData("ERROR -Exiting", "[ERROR] A fatal exception has occurred", true)]
    [InlineData("-ERROR", "all good", true)]
    [InlineData("-ERROR", "[ERROR] bad", false)]
    [InlineData("?ERROR ?WARN", "ERROR WARN message", true)]
    [InlineData("?ERROR ?WARN", "ERROR message", true)]
    [InlineData("?ERROR ?WARN", "WARN message", true)]
    [InlineData("?ERROR ?WARN", "INFO message", false)]
    [InlineData("ERROR WARN", "ERROR message", false)]
    [InlineData("ERROR -WARN", "ERROR message", true)]
    [InlineData("ERROR -WARN", "ERROR WARN message", false)]
    [InlineData("\"INTERNAL SERVER ERROR\"", "[ERROR 500] INTERNAL SERVER ERROR", true)]
    [InlineData("\"INTERNAL SERVER ERROR\"", "[ERROR 500] INTERNAL ERROR SERVER", false)]
    [InlineData("\"Failed to process\" request", "[WARN] Failed to process the request", true)]
    [InlineData("\"ERROR 401\"", "[ERROR 401] UNAUTHORIZED", true)]
    [InlineData("\"say \\\"hi\\\"\"", "they say \"hi\" back", true)]
    [InlineData("-\"GET /health\"", "GET /health 200", false)]
    [InlineData("?\"GET /health\" ?POST", "GET /health 200", true)]
    [InlineData("404", "status=404", true)]
    [InlineData("user_id", "user_id=7", true)]
    [InlineData("Größe", "die Größe ist 5", true)]
    [InlineData("  ERROR   ", "ERROR", true)]
    // Gantry's reading of mixtures: plain terms AND (any ?term) AND NOT (any -term).
    [InlineData("ERROR ?disk ?net -retry", "ERROR disk full", true)]
    [InlineData("ERROR ?disk ?net -retry", "ERROR cpu hot", false)]
    [InlineData("ERROR ?disk ?net -retry", "ERROR disk full, retry", false)]
    [InlineData("ERROR ?disk ?net -retry", "WARN net down", false)]
    public void Matches_follows_the_documented_semantics(string pattern, string message, bool expected) =>
        Assert.Equal(expected, FilterPattern.Parse(pattern).Matches(message));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"\"")]
    [InlineData("?\"\" ?ERROR")]
    public void Blank_patterns_match_everything(string? pattern)
    {
        var parsed = FilterPattern.Parse(pattern);
        Assert.True(parsed.MatchesAll);
        Assert.True(parsed.Matches(""));
        Assert.True(parsed.Matches("anything"));
    }

    [Fact]
    public void All_matches_everything() => Assert.True(FilterPattern.All.MatchesAll && FilterPattern.All.Matches("x"));

    [Theory]
    [InlineData("{ $.level = \"ERROR\" }", "not supported")]
    [InlineData("[ip, user, status=404]", "not supported")]
    [InlineData("%ERR(OR)?%", "not supported")]
    [InlineData("\"unterminated", "closing double quote")]
    [InlineData("?", "must be followed")]
    [InlineData("ERROR -", "must be followed")]
    [InlineData("- ERROR", "must be followed")]
    [InlineData("ERROR:", "double quotes")]
    [InlineData("GET /health", "double quotes")]
    [InlineData("a-b", "double quotes")]
    [InlineData("\"a\"b", "followed by a space")]
    [InlineData("??ERROR", "double quotes")]
    public void Invalid_patterns_throw_FormatException_saying_why(string pattern, string reason)
    {
        var error = Assert.Throws<FormatException>(() => FilterPattern.Parse(pattern));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Literals_are_exposed_for_the_store_prefilter()
    {
        var parsed = FilterPattern.Parse("ERROR \"disk full\" ?a ?b -retry ERROR");
        Assert.Equal(["ERROR", "disk full"], parsed.Required);
        Assert.Equal(["a", "b"], parsed.AnyOf);
        Assert.Equal(["retry"], parsed.Excluded);
        Assert.False(parsed.MatchesAll);
        Assert.Equal("ERROR \"disk full\" ?a ?b -retry ERROR", parsed.ToString());
    }
}
