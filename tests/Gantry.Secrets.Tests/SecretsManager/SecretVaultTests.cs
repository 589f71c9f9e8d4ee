using Gantry.Domain.Errors;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Secrets.Tests.SecretsManager;

public sealed class SecretVaultTests : IAsyncLifetime
{
    private SecretsFixture _f = null!;

    public async Task InitializeAsync() => _f = await SecretsFixture.CreateAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private Task<(SecretRecord Secret, string? VersionId)> CreateAsync(string name, string value, string? token = null) =>
        _f.Vault.CreateAsync(new NewSecret(name, null, null, new SecretPayload(value, null), token, []), CancellationToken.None);

    [Fact]
    public async Task A_secret_is_found_by_name_full_ARN_and_partial_ARN_but_not_by_another_suffix()
    {
        var (secret, _) = await CreateAsync("prod/db", "pw");
        foreach (var id in new[] { "prod/db", secret.Arn, secret.Arn[..^7] })
        {
            Assert.Equal("pw", (await _f.Vault.GetValueAsync(id, null, null, CancellationToken.None)).SecretString);
        }
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), (await _f.Vault.FindAsync("prod/db", false, CancellationToken.None)).Value.LastAccessedDate);
        var wrongSuffix = secret.Arn[..^6] + "zzzzzz";
        Assert.Equal("Secrets Manager can't find the specified secret.",
            (await Assert.ThrowsAsync<AwsException>(() => _f.Vault.GetValueAsync(wrongSuffix, null, null, CancellationToken.None))).Message);
    }

    [Fact]
    public async Task Stored_documents_never_hold_a_secret_value()
    {
        await CreateAsync("plain/check", "correct-horse-battery-staple");
        await _f.Vault.PutValueAsync("plain/check", null, new SecretPayload(null, "binary-horse"u8.ToArray()), null, CancellationToken.None);
        await _f.Parameters.PutAsync(new Gantry.Secrets.Parameters.ParameterPut("/p/secure", "tr0ub4dor", "SecureString", null, null, false, null, null, null, null, "me"),
            CancellationToken.None);
        var raw = await _f.RawAsync(SecretsKinds.Secret) + await _f.RawAsync(SecretsKinds.Parameter);
        Assert.DoesNotContain("correct-horse", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("binary-horse"u8.ToArray()), raw, StringComparison.Ordinal);
        Assert.DoesNotContain("tr0ub4dor", raw, StringComparison.Ordinal);
        Assert.Equal("correct-horse-battery-staple",
            (await _f.Vault.GetValueAsync("plain/check", null, "AWSPREVIOUS", CancellationToken.None)).SecretString);
    }

    [Fact]
    public async Task A_secret_marked_for_deletion_refuses_reads_until_restored_and_is_gone_after_its_window()
    {
        await CreateAsync("to/delete", "v");
        var deleted = await _f.Vault.DeleteAsync("to/delete", null, force: false, CancellationToken.None);
        Assert.Equal(_f.Time.GetUtcNow().AddDays(30), deleted.DeletionDate);
        var refused = await Assert.ThrowsAsync<AwsException>(() => _f.Vault.GetValueAsync("to/delete", null, null, CancellationToken.None));
        Assert.Equal(("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion."), (refused.Type, refused.Message));
        Assert.Equal("InvalidRequestException", (await Assert.ThrowsAsync<AwsException>(() => CreateAsync("to/delete", "again"))).Type);

        await _f.Vault.RestoreAsync("to/delete", CancellationToken.None);
        Assert.Equal("v", (await _f.Vault.GetValueAsync("to/delete", null, null, CancellationToken.None)).SecretString);

        await _f.Vault.DeleteAsync("to/delete", 7, force: false, CancellationToken.None);
        _f.Time.Advance(TimeSpan.FromDays(7));
        Assert.Equal("ResourceNotFoundException", (await Assert.ThrowsAsync<AwsException>(() => _f.Vault.FindAsync("to/delete", true, CancellationToken.None))).Type);
        Assert.Equal(1, await _f.Vault.SweepAsync(CancellationToken.None));
        Assert.Empty(await _f.RawAsync(SecretsKinds.Secret));
        await CreateAsync("to/delete", "reborn");
    }

    [Fact]
    public async Task The_recovery_window_is_seven_to_thirty_days_and_exclusive_with_force()
    {
        await CreateAsync("window", "v");
        foreach (var (days, force) in new (long?, bool)[] { (6, false), (31, false), (10, true) })
        {
            Assert.Equal("InvalidParameterException",
                (await Assert.ThrowsAsync<AwsException>(() => _f.Vault.DeleteAsync("window", days, force, CancellationToken.None))).Type);
        }
        await _f.Vault.DeleteAsync("window", null, force: true, CancellationToken.None);
        Assert.Equal("ResourceNotFoundException", (await Assert.ThrowsAsync<AwsException>(() => _f.Vault.FindAsync("window", true, CancellationToken.None))).Type);
    }

    [Fact]
    public async Task A_client_request_token_replays_create_and_put_but_never_changes_a_version()
    {
        const string token = "0123456789abcdef0123456789abcdef";
        var (first, version) = await CreateAsync("idem", "v", token);
        var (again, _) = await CreateAsync("idem", "v", token);
        Assert.Equal((first.Arn, token), (again.Arn, version));
        Assert.Equal("ResourceExistsException", (await Assert.ThrowsAsync<AwsException>(() => CreateAsync("idem", "other", token))).Type);

        const string next = "fedcba9876543210fedcba9876543210";
        await _f.Vault.PutValueAsync("idem", next, new SecretPayload("w", null), null, CancellationToken.None);
        var (replayed, put) = await _f.Vault.PutValueAsync("idem", next, new SecretPayload("w", null), null, CancellationToken.None);
        Assert.Equal(2, replayed.Versions.Count);
        Assert.Equal(["AWSCURRENT"], put.Stages);
        var refused = await Assert.ThrowsAsync<AwsException>(() => _f.Vault.PutValueAsync("idem", next, new SecretPayload("x", null), null, CancellationToken.None));
        Assert.Equal("ResourceExistsException", refused.Type);
    }

    [Fact]
    public async Task Names_and_values_are_checked()
    {
        Assert.Equal("InvalidParameterException", (await Assert.ThrowsAsync<AwsException>(() => CreateAsync("bad name", "v"))).Type);
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => SecretPayload.Of("s", [1])).Type);
        Assert.Equal("InvalidParameterException", Assert.Throws<AwsException>(() => SecretPayload.Of(new string('x', 65537), null)).Type);
        Assert.Null(SecretPayload.Of(null, null));
    }

    [Fact]
    public async Task Secrets_list_in_name_order_or_by_creation_date_a_page_at_a_time()
    {
        foreach (var name in new[] { "b", "c", "a" })
        {
            await CreateAsync(name, "v");
            _f.Time.Advance(TimeSpan.FromSeconds(1));
        }
        await _f.Vault.DeleteAsync("c", null, force: false, CancellationToken.None);
        var (byName, _) = await _f.Vault.ListAsync(_ => true, includePlannedDeletion: false, null, 10, null, CancellationToken.None);
        Assert.Equal(["a", "b"], byName.Select(s => s.Name));
        var (newest, token) = await _f.Vault.ListAsync(_ => true, includePlannedDeletion: true, true, 2, null, CancellationToken.None);
        var (rest, end) = await _f.Vault.ListAsync(_ => true, includePlannedDeletion: true, true, 2, token, CancellationToken.None);
        Assert.Equal(["a", "c", "b"], newest.Concat(rest).Select(s => s.Name));
        Assert.Null(end);
    }
}
