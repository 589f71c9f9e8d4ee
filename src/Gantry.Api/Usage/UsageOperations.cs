using Gantry.Api.Front;
using Gantry.ControlPlane.Usage;
using Gantry.Domain.Errors;

namespace Gantry.Api.Usage;

/// <summary>
/// Gantry's usage metering API on the AWS JSON front door (target prefix <c>GantryUsage_20261206</c>, SigV4 signing name
/// <c>gantry</c>): vCPU-seconds and GB-seconds of tasks, billed as Fargate bills. `gantry usage` calls it.
/// </summary>
public sealed class UsageOperations(UsageLedger ledger, TimeProvider time)
{
    public const string Prefix = "GantryUsage_20261206";

    /// <summary>The SigV4 service name clients sign these operations with (shared with the node admin API).</summary>
    public const string SigningName = "gantry";

    private static readonly string[] Groupings = ["CLUSTER", "SERVICE", "FAMILY"];

    public async Task<GetUsageResponse> GetUsageAsync(GetUsageRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var grouping = request.GroupBy switch
        {
            null or "CLUSTER" => UsageGrouping.Cluster,
            "SERVICE" => UsageGrouping.Service,
            "FAMILY" => UsageGrouping.Family,
            var other => throw EcsErrors.InvalidParameter($"groupBy '{other}' is not valid: use one of {string.Join(", ", Groupings)}."),
        };
        if (request.Since is { } since && request.Until is { } until && since >= until)
        {
            throw EcsErrors.InvalidParameter("since must be earlier than until.");
        }
        var now = time.GetUtcNow();
        var report = await ledger.SumAsync(new UsageQuery(request.Since, request.Until, grouping), now, ct).ConfigureAwait(false);
        return new GetUsageResponse
        {
            Since = request.Since,
            Until = request.Until ?? now,
            GroupBy = Groupings[(int)grouping],
            Groups = [.. report.Groups.Select(g => new UsageGroupSummary
            {
                Cluster = g.Cluster,
                Service = grouping == UsageGrouping.Service ? g.Name : null,
                Family = grouping == UsageGrouping.Family ? g.Name : null,
                LaunchType = g.LaunchType,
                Tasks = g.Tasks,
                RunningTasks = g.RunningTasks,
                VcpuSeconds = Math.Round(g.VcpuSeconds, 3),
                GbSeconds = Math.Round(g.GbSeconds, 3),
            })],
            Total = new UsageTotal
            {
                Tasks = report.Tasks,
                RunningTasks = report.RunningTasks,
                VcpuSeconds = Math.Round(report.VcpuSeconds, 3),
                GbSeconds = Math.Round(report.GbSeconds, 3),
            },
        };
    }
}

/// <summary>Registers the usage operations under <see cref="UsageOperations.Prefix"/>.</summary>
public static class UsageOperationsTable
{
    public static AwsOperationTable.Builder MapUsage(this AwsOperationTable.Builder table, UsageOperations usage) => table
        .Service(UsageOperations.Prefix, UsageOperations.SigningName)
        .Map<GetUsageRequest, GetUsageResponse>(UsageOperations.Prefix, "GetUsage", (r, _, ct) => usage.GetUsageAsync(r, ct));
}
