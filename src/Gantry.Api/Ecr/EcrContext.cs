using Gantry.Domain.Arns;
using Gantry.Domain.Ecr;
using Gantry.Domain.Errors;
using Gantry.Registry.Catalog;
using Gantry.Store;

namespace Gantry.Api.Ecr;

/// <summary>What every ECR operation shares: the catalog, ARNs, and repository lookups with ECR's errors.</summary>
public sealed class EcrContext(ImageCatalog catalog, EcrArns arns, TimeProvider time)
{
    public ImageCatalog Catalog => catalog;
    public EcrArns Arns => arns;
    public TimeProvider Time => time;
    public string RegistryId => arns.RegistryId;

    /// <summary>The repository, or RepositoryNotFoundException (also for another registry id).</summary>
    public async Task<Versioned<RepositoryRecord>> RequireAsync(string? registryId, string? name, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw EcrErrors.InvalidParameter("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must not be null'");
        }
        if (registryId is not null && registryId != RegistryId)
        {
            throw EcrErrors.RepositoryNotFound(name, registryId);
        }
        return await catalog.FindRepositoryAsync(name, ct).ConfigureAwait(false) ?? throw EcrErrors.RepositoryNotFound(name, RegistryId);
    }

    /// <summary>Changes a repository document, retrying on concurrent writes; RepositoryNotFoundException when absent.</summary>
    public Task<RepositoryRecord> UpdateAsync(string name, Func<RepositoryRecord, RepositoryRecord> change, CancellationToken ct) =>
        catalog.Documents.UpdateAsync<RepositoryRecord>(CatalogKinds.Repository, name,
            current => change(current ?? throw EcrErrors.RepositoryNotFound(name, RegistryId)), ct);

    public EcrRepository Shape(RepositoryRecord record, string host) => new()
    {
        RepositoryArn = arns.Repository(record.Name),
        RegistryId = RegistryId,
        RepositoryName = record.Name,
        RepositoryUri = $"{host}/{record.Name}",
        CreatedAt = record.CreatedAt,
        ImageTagMutability = record.ImageTagMutability,
        ImageScanningConfiguration = new ImageScanningConfiguration { ScanOnPush = record.ScanOnPush },
        EncryptionConfiguration = new EncryptionConfiguration { EncryptionType = record.EncryptionType, KmsKey = record.KmsKey },
    };
}
