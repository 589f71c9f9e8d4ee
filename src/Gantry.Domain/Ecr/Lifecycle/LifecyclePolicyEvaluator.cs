namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>
/// Decides which images a lifecycle policy expires. Pure: the caller supplies the images and <c>now</c>.
/// </summary>
/// <remarks>
/// The rules, as the ECR user guide states them ("Lifecycle policy evaluation rules" and its worked examples):
/// <list type="number">
/// <item>A rule <em>selects</em> the images meeting its tagging requirements: <c>any</c> every image; <c>untagged</c>
/// images without tags; <c>tagged</c> images having, for each entry of tagPrefixList, some tag starting with it
/// (for each entry of tagPatternList, some tag matching it, <c>*</c> matching any run of characters); all comparisons
/// are ordinal.</item>
/// <item>Each rule picks candidates among everything it selects, as if no other rule existed:
/// <c>imageCountMoreThan n</c> orders its images newest first and picks all but the first n;
/// <c>sinceImagePushed n days</c> picks the images pushed strictly more than n days before <c>now</c>.
/// Images selected (even expired) by higher-priority rules still count here: "rules can never mark images that are
/// marked by higher priority rules, but can still identify them as if they haven't been expired".</item>
/// <item>Rules apply in ascending rulePriority. A candidate is expired only if no higher-priority rule selected it:
/// "an image that matches the tagging requirements of a rule cannot be expired by a rule with a lower priority".
/// So a rule that keeps an image protects it from every later rule, and an image is expired by at most one rule.</item>
/// <item>Age order is <c>PushedAt</c>; images pushed at the same instant are ordered by ordinal <c>Digest</c>, the
/// greater digest counting as the newer, so the outcome never depends on the order of the input.</item>
/// </list>
/// The result lists expirations by rulePriority, then oldest image first. <c>Digest</c> is an image's identity.
/// </remarks>
public static class LifecyclePolicyEvaluator
{
    public static IReadOnlyList<LifecycleExpiration> Evaluate(LifecyclePolicy policy, IReadOnlyList<LifecycleImage> images, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(images);
        var oldestFirst = images.OrderBy(i => i.PushedAt).ThenBy(i => i.Digest, StringComparer.Ordinal).ToList();
        var selectedEarlier = new HashSet<string>(StringComparer.Ordinal);
        var expired = new List<LifecycleExpiration>();
        foreach (var rule in policy.Rules.OrderBy(r => r.RulePriority))
        {
            var selected = oldestFirst.Where(image => SelectionMatch.Selects(rule.Selection, image)).ToList();
            expired.AddRange(Candidates(rule.Selection, selected, now)
                .Where(image => !selectedEarlier.Contains(image.Digest))
                .Select(image => new LifecycleExpiration(image, rule.RulePriority)));
            selectedEarlier.UnionWith(selected.Select(image => image.Digest));
        }
        return expired;
    }

    /// <summary>The images a rule would expire on its own, oldest first; <paramref name="selected"/> is oldest first.</summary>
    private static IEnumerable<LifecycleImage> Candidates(LifecycleSelection selection, List<LifecycleImage> selected, DateTimeOffset now) =>
        selection.CountType switch
        {
            LifecycleCountType.ImageCountMoreThan => selected.Take(Math.Max(0, selected.Count - selection.CountNumber)),
            _ => selected.Where(image => (now - image.PushedAt).TotalDays > selection.CountNumber),
        };
}
