using Gantry.Domain.Errors;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Secrets.Tests.SecretsManager;

public sealed class PasswordGeneratorTests
{
    [Fact]
    public void By_default_a_password_has_32_characters_with_one_of_each_type()
    {
        var password = PasswordGenerator.Generate(new PasswordOptions());
        Assert.Equal(32, password.Length);
        Assert.Contains(password, char.IsAsciiLetterUpper);
        Assert.Contains(password, char.IsAsciiLetterLower);
        Assert.Contains(password, char.IsAsciiDigit);
        Assert.Contains(password, c => PasswordGenerator.Punctuation.Contains(c, StringComparison.Ordinal));
        Assert.DoesNotContain(' ', password);
    }

    [Fact]
    public void Exclusions_and_spaces_are_honoured()
    {
        var password = PasswordGenerator.Generate(new PasswordOptions(200, "abc", ExcludeNumbers: true, ExcludePunctuation: true, ExcludeUppercase: true,
            IncludeSpace: true));
        Assert.All(password, c => Assert.True(c == ' ' || (char.IsAsciiLetterLower(c) && c is not ('a' or 'b' or 'c'))));
        Assert.Contains(' ', password);
    }

    [Fact]
    public void Impossible_requests_are_refused()
    {
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => PasswordGenerator.Generate(new PasswordOptions(0))).Type);
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => PasswordGenerator.Generate(new PasswordOptions(4097))).Type);
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => PasswordGenerator.Generate(new PasswordOptions(3))).Type);
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => PasswordGenerator.Generate(
            new PasswordOptions(ExcludeNumbers: true, ExcludePunctuation: true, ExcludeUppercase: true, ExcludeLowercase: true))).Type);
    }
}
