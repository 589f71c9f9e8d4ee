using Gantry.Domain.Ecr.Lifecycle;
using Gantry.Registry.Catalog;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Lifecycle;

/// <summary>
/// Applies repositories' lifecycle policies: evaluates each policy over the repository's images and deletes what
/// it expires, then records when it ran. <see cref="RunAsync"/> repeats that on an interval until cancelled.
/// </summary>
public sealed partial class LifecycleRunner(ImageCatalog catalog, TimeProvider time, ILogger<LifecycleRunner> logger)
{
    /// <summary>How often repositories' lifecycle policies are applied (ECR: within 24 hours).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    /// <summary>What a policy would expire in one repository now (the preview), without changing anything.</summary>
    public async Task<IReadOnlyList<(ImageRecord Image, int RulePriority)>> PreviewAsync(string repository, string policyText, CancellationToken ct)
    {
        var policy = LifecyclePolicyParser.Parse(policyText);
        var images = await catalog.ListImagesAsync(repository, ct).ConfigureAwait(false);
        var byDigest = images.ToDictionary(i => i.Digest, StringComparer.Ordinal);
        var candidates = images.Select(i => new LifecycleImage(i.Digest, i.Tags, i.PushedAt)).ToList();
        return [.. LifecyclePolicyEvaluator.Evaluate(policy, candidates, time.GetUtcNow()).Select(e => (byDigest[e.Image.Digest], e.RulePriority))];
    }

    /// <summary>Applies every repository's policy once; returns how many images were expired.</summary>
    public async Task<int> ApplyAllAsync(CancellationToken ct)
    {
        var expired = 0;
        string? after = null;
        while (true)
        {
            var page = await catalog.Documents.ListAsync<RepositoryRecord>(CatalogKinds.Repository, null, after, 100, ct).ConfigureAwait(false);
            foreach (var repo in page.Select(p => p.Value).Where(r => r.LifecyclePolicyText is not null))
            {
                expired += await ApplyAsync(repo, ct).ConfigureAwait(false);
            }
            if (page.Count < 100)
            {
                return expired;
            }
            after = page[^1].Value.Name;
        }
    }

    public async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await ApplyAllAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<int> ApplyAsync(RepositoryRecord repo, CancellationToken ct)
    {
        var expired = await PreviewAsync(repo.Name, repo.LifecyclePolicyText!, ct).ConfigureAwait(false);
        foreach (var (image, priority) in expired)
        {
            if (await catalog.DeleteImageAsync(repo.Name, image.Digest, ct).ConfigureAwait(false))
            {
                LogExpired(logger, repo.Name, image.Digest, priority);
            }
        }
        var current = await catalog.FindRepositoryAsync(repo.Name, ct).ConfigureAwait(false);
        if (current is not null)
        {
            try
            {
                var stamped = current.Value with { LifecycleEvaluatedAt = time.GetUtcNow() };
                await catalog.Documents.Store.CommitAsync([catalog.Documents.Put(CatalogKinds.Repository, repo.Name, stamped, current.Version)], ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                // The repository changed meanwhile; the next run stamps it.
            }
        }
        return expired.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lifecycle policy of {Repository} expired {Digest} (rule {Priority})")]
    private static partial void LogExpired(ILogger logger, string repository, string digest, int priority);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying lifecycle policies failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
