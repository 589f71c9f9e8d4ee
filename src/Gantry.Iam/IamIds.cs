using System.Security.Cryptography;

namespace Gantry.Iam;

/// <summary>IAM's unique ids: a four-letter prefix by entity type and 17 more characters of AWS's alphabet (21 in all).</summary>
public static class IamIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string User() => New("AIDA");

    public static string Group() => New("AGPA");

    public static string Role() => New("AROA");

    public static string Policy() => New("ANPA");

    public static string For(EntityKind kind) => kind switch
    {
        EntityKind.User => User(),
        EntityKind.Group => Group(),
        _ => Role(),
    };

    private static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 17);
}
