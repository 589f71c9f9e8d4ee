using System.Globalization;
using Gantry.Domain.Errors;

namespace Gantry.Api.Front.Query;

/// <summary>
/// Binds awsQuery parameters to an operation's input record by the model's rules: a member is its name (or xmlName);
/// nested structures <c>A.B</c>; lists <c>A.member.N</c> (<c>A.N</c> when flattened; an empty list is <c>A=</c>);
/// maps <c>A.entry.N.key</c>/<c>.value</c> (<c>A.N.key</c> when flattened); N counts from 1 without gaps. Parameters the
/// input does not declare are ignored, as AWS does. The ec2 protocol (<paramref name="ec2"/>) keys members by their
/// <see cref="QueryMember.QueryName"/> and every list as <c>A.N</c>. A value of the wrong type is AWS's ValidationError
/// naming the member, and so is nesting deeper than <see cref="MaxDepth"/> (a recursive shape must not let a request exhaust the stack).
/// </summary>
internal sealed class QueryInputReader(QueryForm form, bool ec2 = false) : IAwsInputReader
{
    private const int MaxDepth = AwsQueryCodec.MaxNesting;

    public TInput Read<TInput>() where TInput : class, new() => (TInput)Structure(QueryType.StructureOf(typeof(TInput)), "", 0);

    private object Structure(QueryStructure structure, string prefix, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new AwsException("ValidationError",
                $"1 validation error detected: Value at '{prefix.TrimEnd('.')}' failed to satisfy constraint: Member must not nest deeper than {MaxDepth} levels");
        }
        var instance = structure.Create();
        foreach (var member in structure.Members)
        {
            if (Value(member.Type, prefix + (ec2 ? member.QueryName : member.Name), depth) is { } value)
            {
                member.Property.SetValue(instance, value);
            }
        }
        return instance;
    }

    private object? Value(QueryType type, string path, int depth) => type.Kind switch
    {
        QueryKind.Structure => form.Has(path) ? Structure(type.Structure!, path + ".", depth + 1) : null,
        QueryKind.List => List(type, path, depth + 1),
        QueryKind.Map => Map(type, path, depth + 1),
        _ => form[path] is { } text ? Scalar(type, path, text) : form.Has(path) ? throw Invalid(path, "", type) : null,
    };

    private object? List(QueryType type, string path, int depth)
    {
        if (!form.Has(path))
        {
            return null;
        }
        var entries = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.Element!.ClrType))!;
        var entryPrefix = type.Flattened || ec2 ? path + "." : $"{path}.{type.MemberName}.";
        for (var n = 1; form.Has(entryPrefix + n.ToString(CultureInfo.InvariantCulture)); n++)
        {
            entries.Add(Value(type.Element, entryPrefix + n.ToString(CultureInfo.InvariantCulture), depth));
        }
        return entries;
    }

    private object? Map(QueryType type, string path, int depth)
    {
        if (!form.Has(path))
        {
            return null;
        }
        var entries = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), type.Element!.ClrType))!;
        var entryPrefix = type.Flattened ? path + "." : path + ".entry.";
        for (var n = 1; form.Has(entryPrefix + n.ToString(CultureInfo.InvariantCulture)); n++)
        {
            var entry = entryPrefix + n.ToString(CultureInfo.InvariantCulture);
            var keyPath = $"{entry}.{type.KeyName}";
            var valuePath = $"{entry}.{type.ValueName}";
            var key = form[keyPath] ?? throw Missing(keyPath);
            entries[key] = Value(type.Element, valuePath, depth) ?? throw Missing(valuePath);
        }
        return entries;
    }

    private static object Scalar(QueryType type, string path, string text)
    {
        var invariant = CultureInfo.InvariantCulture;
        object? value = type.Kind switch
        {
            QueryKind.String => text,
            QueryKind.Integer => int.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var i) ? i : null,
            QueryKind.Long => long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var l) ? l : null,
            QueryKind.Boolean => text.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
                : text.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : null,
            QueryKind.Double => QueryValues.TryParseDouble(text, out var d) ? d : null,
            QueryKind.Timestamp => QueryValues.TryParseTimestamp(text, type.TimestampFormat, out var t) ? t : null,
            QueryKind.Blob => QueryValues.TryParseBlob(text, out var b) ? b : null,
            _ => null,
        };
        return value ?? throw Invalid(path, text, type);
    }

    private static AwsException Invalid(string path, string text, QueryType type) => new("ValidationError",
        $"1 validation error detected: Value '{text}' at '{path}' failed to satisfy constraint: Member must be {QueryValues.Describe(type)}");

    private static AwsException Missing(string path) => new("ValidationError",
        $"1 validation error detected: Value null at '{path}' failed to satisfy constraint: Member must not be null");
}
