using Gantry.Store.Sqlite;

namespace Gantry.Store.Tests;

/// <summary>A store keeps the account id and region its ARNs were issued in (issue 12 item 8).</summary>
public sealed class AccountBindingTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-account-").FullName;
    private SqliteStateStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), default);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_first_start_records_the_account_and_the_same_account_starts_again()
    {
        await AccountBinding.BindAsync(_store, "111122223333", "us-east-1", default);
        await AccountBinding.BindAsync(_store, "111122223333", "us-east-1", default);

        var recorded = await _store.GetAsync(AccountBinding.Kind, AccountBinding.Key, default);
        Assert.NotNull(recorded);
        Assert.Equal(1, recorded.Version);
    }

    [Theory]
    [InlineData("999988887777", "us-east-1")]
    [InlineData("111122223333", "eu-west-1")]
    public async Task Another_account_id_or_region_is_refused_naming_the_recorded_ones(string accountId, string region)
    {
        await AccountBinding.BindAsync(_store, "111122223333", "us-east-1", default);
        var before = _store.CurrentRevision;

        var refused = await Assert.ThrowsAsync<AccountMismatchException>(() => AccountBinding.BindAsync(_store, accountId, region, default));

        Assert.Equal(new BoundAccount("111122223333", "us-east-1"), refused.Recorded);
        Assert.Contains("--account-id 111122223333 --region us-east-1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, _store.CurrentRevision);
    }
}
