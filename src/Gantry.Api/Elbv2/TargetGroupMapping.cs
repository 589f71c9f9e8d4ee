using Gantry.Api.Front;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.Api.Elbv2;

/// <summary>Registers the target group and target operations of ELBv2 under <see cref="Elbv2Model.Name"/> (which must be declared first).</summary>
public static class TargetGroupMapping
{
    public static AwsOperationTable.Builder MapElbv2TargetGroups(this AwsOperationTable.Builder table, Documents documents, ElbArns arns,
        TargetRegistry registry, TargetGroupUsage usage)
    {
        ArgumentNullException.ThrowIfNull(table);
        var groups = new TargetGroupOperations(documents, arns, registry, usage);
        var targets = new TargetHealthOperations(documents, groups, registry, usage);
        const string Service = Elbv2Model.Name;
        return table
            .Map<CreateTargetGroupInput, CreateTargetGroupOutput>(Service, "CreateTargetGroup", (r, _, ct) => groups.CreateAsync(r, ct))
            .Map<DescribeTargetGroupsInput, DescribeTargetGroupsOutput>(Service, "DescribeTargetGroups", (r, _, ct) => groups.DescribeAsync(r, ct))
            .Map<ModifyTargetGroupInput, ModifyTargetGroupOutput>(Service, "ModifyTargetGroup", (r, _, ct) => groups.ModifyAsync(r, ct))
            .Map<DeleteTargetGroupInput, DeleteTargetGroupOutput>(Service, "DeleteTargetGroup", async (r, _, ct) =>
            {
                await groups.DeleteAsync(r, ct).ConfigureAwait(false);
                return new DeleteTargetGroupOutput();
            })
            .Map<DescribeTargetGroupAttributesInput, DescribeTargetGroupAttributesOutput>(Service, "DescribeTargetGroupAttributes", (r, _, ct) => groups.DescribeAttributesAsync(r, ct))
            .Map<ModifyTargetGroupAttributesInput, ModifyTargetGroupAttributesOutput>(Service, "ModifyTargetGroupAttributes", (r, _, ct) => groups.ModifyAttributesAsync(r, ct))
            .Map<RegisterTargetsInput, RegisterTargetsOutput>(Service, "RegisterTargets", async (r, _, ct) =>
            {
                await targets.RegisterAsync(r, ct).ConfigureAwait(false);
                return new RegisterTargetsOutput();
            })
            .Map<DeregisterTargetsInput, DeregisterTargetsOutput>(Service, "DeregisterTargets", async (r, _, ct) =>
            {
                await targets.DeregisterAsync(r, ct).ConfigureAwait(false);
                return new DeregisterTargetsOutput();
            })
            .Map<DescribeTargetHealthInput, DescribeTargetHealthOutput>(Service, "DescribeTargetHealth", (r, _, ct) => targets.DescribeAsync(r, ct));
    }
}
