using System.Text.Json;
using Gantry.Api.Front;
using Gantry.Fuzz.Tests.Model;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>
/// How a form names what it carries: awsQuery a member by its name and a list element <c>Name.member.N</c>; the ec2
/// protocol a member by its request name (<see cref="BotocoreModel.Ec2QueryName"/>) and every list element <c>Name.N</c>.
/// </summary>
public sealed record QueryNaming(bool Ec2)
{
    public static QueryNaming Of(AwsService service) => new(service?.Protocol == AwsProtocol.Ec2);

    /// <summary>The parameter of member <paramref name="name"/> (its model entry <paramref name="member"/>) under <paramref name="prefix"/>.</summary>
    public string Member(string prefix, string name, JsonElement member)
    {
        var named = Ec2 && member.TryGetProperty("traits", out var traits) && traits.TryGetProperty(BotocoreModel.Ec2QueryName, out var query)
            ? query.GetString()!
            : name;
        return prefix.Length == 0 ? named : $"{prefix}.{named}";
    }

    /// <summary>The parameter of the list element <paramref name="index"/> (as written: a number, or something hostile) under <paramref name="prefix"/>.</summary>
    public string Element(string prefix, string index) => Ec2 ? $"{prefix}.{index}" : $"{prefix}.member.{index}";
}
