using System.Security.Cryptography;
using Gantry.Auth.Keys;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Iam.Tests;

/// <summary>An <see cref="IamDirectory"/> over a fresh SQLite state store, with the access keys it shares.</summary>
public sealed class IamTestStore : IAsyncLifetime
{
    public const string Allow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}""";
    public const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}""";
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-iam-").FullName;

    public SqliteStateStore Store { get; private set; } = null!;
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    public MasterKey MasterKey { get; } = new(RandomNumberGenerator.GetBytes(32));
    public AccessKeyStore Keys { get; private set; } = null!;
    public AccessKeyUsage Usage { get; private set; } = null!;
    public IamDirectory Iam { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), default);
        Keys = new AccessKeyStore(Store, MasterKey, Time);
        Usage = new AccessKeyUsage(Store, Time);
        Iam = new IamDirectory(new Documents(Store, AwsJson.Options), AwsAccount.Default, Keys, Usage, Time);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public Task<IamEntity> UserAsync(string name) =>
        Iam.Entities.CreateAsync(EntityKind.User, name, (id, now) => new IamEntity(EntityKind.User, name, id, "/", now), default);

    public Task<IamEntity> GroupAsync(string name) =>
        Iam.Entities.CreateAsync(EntityKind.Group, name, (id, now) => new IamEntity(EntityKind.Group, name, id, "/", now), default);

    public async Task<string> PolicyAsync(string name, string document = Allow)
    {
        var policy = await Iam.Policies.CreateAsync(name, "/", document, null, [], default);
        return Iam.Store.PolicyArn(policy);
    }
}
