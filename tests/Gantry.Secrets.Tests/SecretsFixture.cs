using System.Security.Cryptography;
using Gantry.Auth.Keys;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Gantry.Secrets.Parameters;
using Gantry.Secrets.SecretsManager;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Secrets.Tests;

/// <summary>A vault and a parameter store over a fresh SQLite state store, on a fake clock.</summary>
public sealed class SecretsFixture : IAsyncDisposable
{
    private readonly string _directory;

    private SecretsFixture(IStateStore store, string directory)
    {
        _directory = directory;
        Store = store;
        var documents = new Documents(store, AwsJson.Options);
        var sealer = new Sealer(new MasterKey(RandomNumberGenerator.GetBytes(32)));
        Vault = new SecretVault(documents, sealer, new SecretArns(AwsAccount.Default), Time);
        Parameters = new ParameterStore(documents, sealer, new ParameterNames(AwsAccount.Default), Time);
        Resolver = new SecretResolver(Vault, Parameters);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    public IStateStore Store { get; }
    public SecretVault Vault { get; }
    public ParameterStore Parameters { get; }
    public SecretResolver Resolver { get; }

    public static async Task<SecretsFixture> CreateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gantry-secrets-store-").FullName;
        return new SecretsFixture(await SqliteStateStore.OpenAsync(Path.Combine(directory, "state.db"), CancellationToken.None), directory);
    }

    /// <summary>Every stored body of a kind, as the store holds it.</summary>
    public async Task<string> RawAsync(string kind) =>
        string.Join('\n', (await Store.ListAsync(kind, null, null, 1000, CancellationToken.None)).Select(o => o.Body));

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
