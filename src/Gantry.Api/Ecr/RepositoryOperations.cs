using System.Text.RegularExpressions;
using Gantry.Api.Front;
using Gantry.Api.State;
using Gantry.Domain.Ecr;
using Gantry.Domain.Errors;
using Gantry.Registry.Catalog;
using Gantry.Store;

namespace Gantry.Api.Ecr;

/// <summary>CreateRepository, DescribeRepositories, DeleteRepository, PutImageTagMutability, PutImageScanningConfiguration.</summary>
public sealed partial class RepositoryOperations(EcrContext ecr)
{
    private const string NamePattern = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";

    public async Task<CreateRepositoryResponse> CreateAsync(CreateRepositoryRequest request, AwsCallContext call, CancellationToken ct)
    {
        var name = request.RepositoryName;
        if (name is null || name.Length is < 2 or > 256 || !EcrName().IsMatch(name))
        {
            throw EcrErrors.InvalidParameter($"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '{NamePattern}' and be between 2 and 256 characters'");
        }
        if (request.RegistryId is { } registry && registry != ecr.RegistryId)
        {
            throw EcrErrors.InvalidParameter($"Invalid parameter at 'registryId': this registry is '{ecr.RegistryId}'");
        }
        var mutability = Mutability(request.ImageTagMutability);
        var encryption = request.EncryptionConfiguration?.EncryptionType ?? EncryptionTypeValues.AES256;
        if (!EncryptionTypeValues.All.Contains(encryption))
        {
            throw EcrErrors.InvalidParameter($"Invalid parameter at 'encryptionConfiguration.encryptionType' failed to satisfy constraint: 'Member must satisfy enum value set: [{string.Join(", ", EncryptionTypeValues.All)}]'");
        }
        var tags = EcrTagging.Validate(request.Tags);
        var record = new RepositoryRecord(name, ecr.Time.GetUtcNow(), mutability, request.ImageScanningConfiguration?.ScanOnPush ?? false,
            encryption, request.EncryptionConfiguration?.KmsKey, tags);
        try
        {
            await ecr.Catalog.Documents.Store.CommitAsync([ecr.Catalog.Documents.Put(CatalogKinds.Repository, name, record, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw EcrErrors.RepositoryAlreadyExists(name, ecr.RegistryId);
        }
        return new CreateRepositoryResponse { Repository = ecr.Shape(record, call.Host) };
    }

    public async Task<DescribeRepositoriesResponse> DescribeAsync(DescribeRepositoriesRequest request, AwsCallContext call, CancellationToken ct)
    {
        if (request.RepositoryNames is { Count: > 0 } names)
        {
            if (request.MaxResults is not null || request.NextToken is not null)
            {
                throw EcrErrors.InvalidParameter("maxResults and nextToken cannot be used together with repositoryNames");
            }
            var found = new List<EcrRepository>();
            foreach (var name in names)
            {
                var repo = await ecr.RequireAsync(request.RegistryId, name, ct).ConfigureAwait(false);
                found.Add(ecr.Shape(repo.Value, call.Host));
            }
            return new DescribeRepositoriesResponse { Repositories = found };
        }
        var limit = PageToken.Limit(request.MaxResults, max: 1000);
        var (items, next) = await ecr.Catalog.Documents.PageAsync<RepositoryRecord>(CatalogKinds.Repository, null, PageToken.Decode(request.NextToken),
            limit, descending: false, _ => true, ct).ConfigureAwait(false);
        return new DescribeRepositoriesResponse
        {
            Repositories = [.. items.Select(r => ecr.Shape(r, call.Host))],
            NextToken = next is null ? null : PageToken.Encode(next),
        };
    }

    public async Task<DeleteRepositoryResponse> DeleteAsync(DeleteRepositoryRequest request, AwsCallContext call, CancellationToken ct)
    {
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        var name = repo.Value.Name;
        var store = ecr.Catalog.Documents.Store;
        var images = await store.CountAsync(CatalogKinds.Image, CatalogKinds.ImagePrefix(name), ct).ConfigureAwait(false);
        if (images > 0 && request.Force != true)
        {
            throw EcrErrors.RepositoryNotEmpty(name, ecr.RegistryId);
        }
        var ops = new List<WriteOp> { new DeleteOp(CatalogKinds.Repository, name, repo.Version) };
        foreach (var (kind, prefix) in new[]
        {
            (CatalogKinds.Image, CatalogKinds.ImagePrefix(name)), (CatalogKinds.Tag, CatalogKinds.TagPrefix(name)),
            (CatalogKinds.Blob, CatalogKinds.ImagePrefix(name)), (CatalogKinds.Referrer, CatalogKinds.ImagePrefix(name)),
        })
        {
            string? after = null;
            while (true)
            {
                var page = await store.ListAsync(kind, prefix, after, 1000, ct).ConfigureAwait(false);
                ops.AddRange(page.Select(o => new DeleteOp(kind, o.Key)));
                if (page.Count < 1000)
                {
                    break;
                }
                after = page[^1].Key;
            }
        }
        try
        {
            await store.CommitAsync(ops, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw EcrErrors.RepositoryNotFound(name, ecr.RegistryId);
        }
        return new DeleteRepositoryResponse { Repository = ecr.Shape(repo.Value, call.Host) };
    }

    public async Task<PutImageTagMutabilityResponse> PutImageTagMutabilityAsync(PutImageTagMutabilityRequest request, CancellationToken ct)
    {
        if (request.ImageTagMutability is null)
        {
            throw EcrErrors.InvalidParameter("Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must not be null'");
        }
        var mutability = Mutability(request.ImageTagMutability);
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        await ecr.UpdateAsync(repo.Value.Name, r => r with { ImageTagMutability = mutability }, ct).ConfigureAwait(false);
        return new PutImageTagMutabilityResponse { RegistryId = ecr.RegistryId, RepositoryName = repo.Value.Name, ImageTagMutability = mutability };
    }

    public async Task<PutImageScanningConfigurationResponse> PutImageScanningConfigurationAsync(PutImageScanningConfigurationRequest request, CancellationToken ct)
    {
        var scanOnPush = request.ImageScanningConfiguration?.ScanOnPush
            ?? throw EcrErrors.InvalidParameter("Invalid parameter at 'imageScanningConfiguration' failed to satisfy constraint: 'Member must not be null'");
        var repo = await ecr.RequireAsync(request.RegistryId, request.RepositoryName, ct).ConfigureAwait(false);
        await ecr.UpdateAsync(repo.Value.Name, r => r with { ScanOnPush = scanOnPush }, ct).ConfigureAwait(false);
        return new PutImageScanningConfigurationResponse
        {
            RegistryId = ecr.RegistryId,
            RepositoryName = repo.Value.Name,
            ImageScanningConfiguration = new ImageScanningConfiguration { ScanOnPush = scanOnPush },
        };
    }

    private static string Mutability(string? value)
    {
        var mutability = value ?? RepositoryRecord.Mutable;
        return mutability is RepositoryRecord.Mutable or RepositoryRecord.Immutable ? mutability
            : throw EcrErrors.InvalidParameter($"Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE]'");
    }

    [GeneratedRegex("^" + NamePattern + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex EcrName();
}
