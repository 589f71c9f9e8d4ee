using System.Security.Cryptography;

namespace Gantry.Secrets.SecretsManager;

/// <summary>What GetRandomPassword asks for (AWS's defaults: 32 characters of every type, one of each included type).</summary>
public sealed record PasswordOptions(long? Length = null, string? ExcludeCharacters = null, bool ExcludeNumbers = false, bool ExcludePunctuation = false,
    bool ExcludeUppercase = false, bool ExcludeLowercase = false, bool IncludeSpace = false, bool RequireEachIncludedType = true);

/// <summary>GetRandomPassword: characters drawn with the cryptographic RNG from the included types, less the excluded characters.</summary>
public static class PasswordGenerator
{
    public const string Uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string Lowercase = "abcdefghijklmnopqrstuvwxyz";
    public const string Digits = "0123456789";
    public const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    public const int DefaultLength = 32, MinLength = 1, MaxLength = 4096;

    public static string Generate(PasswordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var length = options.Length ?? DefaultLength;
        if (length is < MinLength or > MaxLength)
        {
            throw SecretErrors.Invalid($"PasswordLength must be between {MinLength} and {MaxLength}.");
        }
        var exclude = options.ExcludeCharacters ?? "";
        if (exclude.Length > MaxLength)
        {
            throw SecretErrors.Invalid($"ExcludeCharacters can't be longer than {MaxLength} characters.");
        }
        var types = new List<string>();
        void Include(bool excluded, string characters)
        {
            var left = new string([.. characters.Where(c => !exclude.Contains(c, StringComparison.Ordinal))]);
            if (!excluded && left.Length > 0)
            {
                types.Add(left);
            }
        }
        Include(options.ExcludeUppercase, Uppercase);
        Include(options.ExcludeLowercase, Lowercase);
        Include(options.ExcludeNumbers, Digits);
        Include(options.ExcludePunctuation, Punctuation);
        Include(!options.IncludeSpace, " ");
        if (types.Count == 0)
        {
            throw SecretErrors.Invalid("The password can't be generated because every character type is excluded.");
        }
        if (options.RequireEachIncludedType && length < types.Count)
        {
            throw SecretErrors.Invalid($"PasswordLength must be at least {types.Count} to include one character of each type.");
        }
        var all = string.Concat(types);
        var password = new char[length];
        for (var i = 0; i < password.Length; i++)
        {
            password[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }
        if (options.RequireEachIncludedType)
        {
            // One of each type at distinct random places, the rest left as drawn from all of them.
            var places = Enumerable.Range(0, password.Length).ToArray();
            RandomNumberGenerator.Shuffle(places.AsSpan());
            for (var t = 0; t < types.Count; t++)
            {
                password[places[t]] = types[t][RandomNumberGenerator.GetInt32(types[t].Length)];
            }
        }
        return new string(password);
    }
}
