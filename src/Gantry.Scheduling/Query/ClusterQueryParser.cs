using System.Text.RegularExpressions;

namespace Gantry.Scheduling.Query;

/// <summary>
/// Recursive-descent parser for the cluster query language. Arguments are unquoted words, so scanning is done in
/// context (an argument may hold <c>:</c>, <c>*</c>, <c>.</c> or a regular expression's brackets) rather than by a
/// separate tokenizer.
/// </summary>
/// <remarks>
/// <code>
/// expression := or
/// or         := and (("or" | "||") and)*
/// and        := unary (("and" | "&amp;&amp;") unary)*
/// unary      := ("not" | "!") unary | "(" or ")" | comparison
/// comparison := subject operator [value | "[" value ("," value)* "]"]
/// value      := 'quoted' | "quoted" | word (brackets balanced; ends at space, ',' ']' in lists, an unbalanced ')',
///               "&amp;&amp;" or "||")
/// </code>
/// </remarks>
internal sealed class ClusterQueryParser
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Symbolic operators, longest first where one is a prefix of another.</summary>
    private static readonly (string Symbol, QueryOperator Operator)[] Symbols =
    [
        ("==", QueryOperator.Equal),
        ("!=", QueryOperator.NotEqual),
        (">=", QueryOperator.GreaterThanOrEqual),
        ("<=", QueryOperator.LessThanOrEqual),
        ("=~", QueryOperator.Matches),
        ("!~", QueryOperator.NotMatches),
        (">", QueryOperator.GreaterThan),
        ("<", QueryOperator.LessThan),
    ];

    private readonly string _text;
    private int _position;

    private ClusterQueryParser(string text)
    {
        _text = text;
    }

    private bool AtEnd => _position >= _text.Length;

    /// <exception cref="ClusterQueryException">The expression is empty or malformed.</exception>
    public static QueryNode Parse(string text)
    {
        var parser = new ClusterQueryParser(text);
        parser.SkipWhitespace();
        if (parser.AtEnd)
        {
            throw new ClusterQueryException("The expression is empty.", 0);
        }

        QueryNode node = parser.ParseOr();
        parser.SkipWhitespace();
        if (!parser.AtEnd)
        {
            throw parser.Error("expected 'and', 'or' or the end of the expression");
        }

        return node;
    }

    private QueryNode ParseOr()
    {
        QueryNode left = ParseAnd();
        while (TryConsumeCombinator("||", "or"))
        {
            left = new OrNode(left, ParseAnd());
        }

        return left;
    }

    private QueryNode ParseAnd()
    {
        QueryNode left = ParseUnary();
        while (TryConsumeCombinator("&&", "and"))
        {
            left = new AndNode(left, ParseUnary());
        }

        return left;
    }

    private QueryNode ParseUnary()
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw Error("expected an expression");
        }

        char c = _text[_position];
        if (c == '(')
        {
            int open = _position;
            _position++;
            QueryNode inner = ParseOr();
            SkipWhitespace();
            if (AtEnd || _text[_position] != ')')
            {
                throw Error($"expected ')' to close the '(' at position {open}");
            }

            _position++;
            return inner;
        }

        if (c == '!')
        {
            _position++;
            return new NotNode(ParseUnary());
        }

        if (string.Equals(PeekWord(), "not", StringComparison.OrdinalIgnoreCase))
        {
            _position += 3;
            return new NotNode(ParseUnary());
        }

        return ParseComparison();
    }

    private ComparisonNode ParseComparison()
    {
        int subjectStart = _position;
        string word = PeekWord();
        if (word.Length == 0)
        {
            throw Error("expected a subject (attribute:NAME, ec2InstanceId, agentConnected, runningTasksCount or task:group)");
        }

        _position += word.Length;
        QuerySubject subject = QuerySubject.Parse(word, subjectStart);

        SkipWhitespace();
        (QueryOperator op, string written) = ReadOperator(subject);

        switch (op)
        {
            case QueryOperator.Exists:
            case QueryOperator.NotExists:
                return new ComparisonNode(subject, op, [], Pattern: null);
            case QueryOperator.In:
            case QueryOperator.NotIn:
                return new ComparisonNode(subject, op, ReadList(written), Pattern: null);
            case QueryOperator.Matches:
            case QueryOperator.NotMatches:
                SkipWhitespace();
                int patternStart = _position;
                string pattern = ReadValue(written, inList: false);
                return new ComparisonNode(subject, op, [pattern], CompilePattern(pattern, patternStart));
            default:
                return new ComparisonNode(subject, op, [ReadValue(written, inList: false)], Pattern: null);
        }
    }

    private (QueryOperator Operator, string Written) ReadOperator(QuerySubject subject)
    {
        if (AtEnd)
        {
            throw Error($"expected an operator after '{subject}'");
        }

        if (TryConsumeWordSymbol("!exists"))
        {
            return (QueryOperator.NotExists, "!exists");
        }

        if (TryConsumeWordSymbol("!in"))
        {
            return (QueryOperator.NotIn, "!in");
        }

        foreach ((string symbol, QueryOperator op) in Symbols)
        {
            if (string.CompareOrdinal(_text, _position, symbol, 0, symbol.Length) == 0)
            {
                _position += symbol.Length;
                return (op, symbol);
            }
        }

        string word = PeekWord();
        QueryOperator? named = word.ToUpperInvariant() switch
        {
            "EQUALS" => QueryOperator.Equal,
            "NOT_EQUALS" => QueryOperator.NotEqual,
            "GREATER_THAN" => QueryOperator.GreaterThan,
            "GREATER_THAN_EQUAL" => QueryOperator.GreaterThanOrEqual,
            "LESS_THAN" => QueryOperator.LessThan,
            "LESS_THAN_EQUAL" => QueryOperator.LessThanOrEqual,
            "EXISTS" => QueryOperator.Exists,
            "NOT_EXISTS" => QueryOperator.NotExists,
            "IN" => QueryOperator.In,
            "NOT_IN" => QueryOperator.NotIn,
            "MATCHES" => QueryOperator.Matches,
            "NOT_MATCHES" => QueryOperator.NotMatches,
            _ => null,
        };
        if (named is null)
        {
            throw Error($"expected an operator after '{subject}'");
        }

        _position += word.Length;
        return (named.Value, word);
    }

    private string[] ReadList(string written)
    {
        SkipWhitespace();
        if (AtEnd || _text[_position] != '[')
        {
            throw Error($"expected '[' to start the argument list of '{written}'");
        }

        int open = _position;
        _position++;
        var values = new List<string>();
        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
            {
                throw Error($"expected ']' to close the '[' at position {open}");
            }

            if (_text[_position] == ']' && values.Count == 0)
            {
                throw Error($"the argument list of '{written}' is empty");
            }

            values.Add(ReadValue(written, inList: true));
            SkipWhitespace();
            if (AtEnd)
            {
                throw Error($"expected ']' to close the '[' at position {open}");
            }

            char c = _text[_position++];
            if (c == ']')
            {
                return [.. values];
            }

            if (c != ',')
            {
                _position--;
                throw Error("expected ',' or ']' in the argument list");
            }
        }
    }

    private string ReadValue(string written, bool inList)
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw Error($"expected a value after '{written}'");
        }

        char first = _text[_position];
        if (first is '\'' or '"')
        {
            int open = _position;
            int close = _text.IndexOf(first, _position + 1);
            if (close < 0)
            {
                throw new ClusterQueryException(
                    $"Invalid expression at position {open}: the quoted value is not closed.", open);
            }

            _position = close + 1;
            return _text[(open + 1)..close];
        }

        int start = _position;
        int depth = 0;
        while (!AtEnd)
        {
            char c = _text[_position];
            if (depth == 0 && (char.IsWhiteSpace(c) || StartsWith("&&") || StartsWith("||")))
            {
                break;
            }

            if (inList && depth == 0 && c == ',')
            {
                break;
            }

            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }

            _position++;
        }

        if (_position == start)
        {
            throw Error($"expected a value after '{written}'");
        }

        return _text[start.._position];
    }

    private static Regex CompilePattern(string pattern, int position)
    {
        try
        {
            // Validate alone first, so an unbalanced ')' cannot escape the anchoring group below.
            _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
            return new Regex($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException) when (pattern.Contains('*', StringComparison.Ordinal))
        {
            string glob = Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal);
            return new Regex($@"\A{glob}\z", RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ClusterQueryException(
                $"Invalid expression at position {position}: '{pattern}' is not a valid pattern ({e.Message})", position);
        }
    }

    private bool TryConsumeCombinator(string symbol, string word)
    {
        SkipWhitespace();
        if (StartsWith(symbol))
        {
            _position += symbol.Length;
            return true;
        }

        if (string.Equals(PeekWord(), word, StringComparison.OrdinalIgnoreCase))
        {
            _position += word.Length;
            return true;
        }

        return false;
    }

    /// <summary>Consumes a symbol like <c>!in</c> only when it is not the start of a longer word.</summary>
    private bool TryConsumeWordSymbol(string symbol)
    {
        if (string.Compare(_text, _position, symbol, 0, symbol.Length, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        int end = _position + symbol.Length;
        if (end < _text.Length && IsWordChar(_text[end]))
        {
            return false;
        }

        _position = end;
        return true;
    }

    private bool StartsWith(string symbol) => string.CompareOrdinal(_text, _position, symbol, 0, symbol.Length) == 0;

    private string PeekWord()
    {
        int end = _position;
        while (end < _text.Length && IsWordChar(_text[end]))
        {
            end++;
        }

        return _text[_position..end];
    }

    private static bool IsWordChar(char c) =>
        !char.IsWhiteSpace(c) && c is not ('=' or '!' or '<' or '>' or '~' or '(' or ')' or '[' or ']' or ',' or '&' or '|' or '\'' or '"');

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private ClusterQueryException Error(string expected)
    {
        string found = AtEnd ? "the end of the expression" : $"'{FoundToken()}'";
        return new ClusterQueryException($"Invalid expression at position {_position}: {expected}, found {found}.", _position);
    }

    private string FoundToken()
    {
        string word = PeekWord();
        return word.Length > 0 ? word : _text[_position].ToString();
    }
}
