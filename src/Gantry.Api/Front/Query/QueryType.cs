using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using Gantry.Domain.Wire;

namespace Gantry.Api.Front.Query;

/// <summary>The Smithy shape kinds awsQuery carries.</summary>
internal enum QueryKind
{
    String,
    Integer,
    Long,
    Boolean,
    Double,
    Timestamp,
    Blob,
    Structure,
    List,
    Map,
}

/// <summary>
/// How one value travels in awsQuery, read once per member from the shape records (tools/shapegen output): its kind,
/// and for lists and maps the entry names, flattening and the shape of their values.
/// </summary>
internal sealed class QueryType
{
    private static readonly ConcurrentDictionary<Type, QueryStructure> Structures = new();

    private QueryType(QueryKind kind, Type clrType)
    {
        Kind = kind;
        ClrType = clrType;
    }

    public QueryKind Kind { get; }

    public Type ClrType { get; }

    /// <summary>A list's entries or a map's values.</summary>
    public QueryType? Element { get; private init; }

    public QueryStructure? Structure { get; private init; }

    public bool Flattened { get; private init; }

    public string MemberName { get; private init; } = "member";

    public string KeyName { get; private init; } = "key";

    public string ValueName { get; private init; } = "value";

    public string TimestampFormat { get; private init; } = "date-time";

    /// <summary>The structure a record type is (cached: each type is described once).</summary>
    public static QueryStructure StructureOf(Type type) => Structures.GetOrAdd(type, t => new QueryStructure(t));

    /// <summary>Describes <paramref name="type"/>, with the XML traits of the member that holds it.</summary>
    public static QueryType Of(Type type, AwsXmlAttribute? xml = null)
    {
        var clr = Nullable.GetUnderlyingType(type) ?? type;
        var scalar = Scalar(clr);
        if (scalar is { } kind)
        {
            return new QueryType(kind, clr) { TimestampFormat = xml?.TimestampFormat ?? "date-time" };
        }
        if (clr.IsGenericType && clr.GetGenericTypeDefinition() is var definition)
        {
            var arguments = clr.GetGenericArguments();
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(List<>))
            {
                return new QueryType(QueryKind.List, clr)
                {
                    Element = Of(arguments[0]),
                    Flattened = xml?.Flattened ?? false,
                    MemberName = xml?.MemberName ?? "member",
                };
            }
            if ((definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>)) && arguments[0] == typeof(string))
            {
                return new QueryType(QueryKind.Map, clr)
                {
                    Element = Of(arguments[1]),
                    Flattened = xml?.Flattened ?? false,
                    KeyName = xml?.KeyName ?? "key",
                    ValueName = xml?.ValueName ?? "value",
                };
            }
        }
        if (clr.IsClass && clr != typeof(string) && clr.GetConstructor(Type.EmptyTypes) is not null && !clr.IsGenericType)
        {
            return new QueryType(QueryKind.Structure, clr) { Structure = StructureOf(clr) };
        }
        throw new NotSupportedException($"{clr} has no awsQuery form.");
    }

    private static QueryKind? Scalar(Type clr) =>
        clr == typeof(string) ? QueryKind.String
        : clr == typeof(int) ? QueryKind.Integer
        : clr == typeof(long) ? QueryKind.Long
        : clr == typeof(bool) ? QueryKind.Boolean
        : clr == typeof(double) ? QueryKind.Double
        : clr == typeof(DateTimeOffset) ? QueryKind.Timestamp
        : clr == typeof(byte[]) ? QueryKind.Blob
        : null;

    /// <summary>Describes every structure reachable from <paramref name="type"/>: throws at start-up for a member awsQuery cannot carry.</summary>
    public static void Validate(Type type)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<QueryStructure>([StructureOf(type)]);
        while (pending.TryPop(out var structure))
        {
            if (!seen.Add(structure.ClrType))
            {
                continue;
            }
            foreach (var member in structure.Members)
            {
                for (var t = member.Type; t is not null; t = t.Element)
                {
                    if (t.Structure is { } nested)
                    {
                        pending.Push(nested);
                    }
                }
            }
        }
    }
}

/// <summary>A structure (a shape record): how to make one and its members in declaration order.</summary>
internal sealed class QueryStructure
{
    private readonly Lazy<IReadOnlyList<QueryMember>> _members;

    public QueryStructure(Type type)
    {
        ClrType = type;
        _members = new Lazy<IReadOnlyList<QueryMember>>(() => Describe(type));
    }

    public Type ClrType { get; }

    public IReadOnlyList<QueryMember> Members => _members.Value;

    public object Create() => Activator.CreateInstance(ClrType)!;

    private static List<QueryMember> Describe(Type type)
    {
        try
        {
            return [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0)
                .Select(p =>
                {
                    var xml = p.GetCustomAttribute<AwsXmlAttribute>();
                    var name = xml?.Name ?? p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name;
                    return new QueryMember(name, xml?.QueryName ?? name, p, QueryType.Of(p.PropertyType, xml));
                })];
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException($"{type.Name}: {e.Message}", e);
        }
    }
}

/// <summary>
/// A member of a structure: its wire name (the model's member name, or its xmlName), its request key (the same but in
/// the ec2 protocol, see <see cref="AwsXmlAttribute.QueryName"/>), property and type.
/// </summary>
internal sealed record QueryMember(string Name, string QueryName, PropertyInfo Property, QueryType Type);
