using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.ControlPlane.TaskDefinitions;

/// <summary>Reads a task definition by the reference RunTask, services and DescribeTaskDefinition accept.</summary>
public sealed class TaskDefinitionLookup(Documents documents, EcsArns arns)
{
    /// <summary>The task definition a launch names (RunTask, StartTask, CreateService, UpdateService): it must exist
    /// and be ACTIVE, else ClientException.</summary>
    public async Task<TaskDefinition> FindActiveAsync(string? reference, CancellationToken ct)
    {
        var found = await FindAsync(reference, requireRevision: false, ct).ConfigureAwait(false)
            ?? throw EcsErrors.Client("Unable to find task definition.");
        return found.Value.Definition.Status == TaskDefinitionStatusValues.ACTIVE ? found.Value.Definition
            : throw EcsErrors.Client($"TaskDefinition is inactive: {found.Value.Definition.TaskDefinitionArn}");
    }

    /// <summary>Finds "family" (newest ACTIVE revision), "family:revision" or an ARN. Null when absent.</summary>
    public async Task<Versioned<TaskDefinitionRecord>?> FindAsync(string? reference, bool requireRevision, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(reference))
        {
            throw EcsErrors.InvalidParameter("taskDefinition must be specified.");
        }
        if (!arns.TryParseTaskDefinition(reference, out var family, out var revision))
        {
            throw EcsErrors.Client($"Invalid task definition '{reference}'. Specify family, family:revision or a task definition ARN.");
        }
        if (revision is null)
        {
            if (requireRevision)
            {
                throw EcsErrors.Client("A revision must be specified as family:revision or a full task definition ARN.");
            }
            var familyRecord = await documents.GetAsync<TaskDefinitionFamilyRecord>(Kinds.TaskDefinitionFamily, family, ct).ConfigureAwait(false);
            if (familyRecord is null || familyRecord.Value.LatestActiveRevision == 0)
            {
                return null;
            }
            revision = familyRecord.Value.LatestActiveRevision;
        }
        return await documents.GetAsync<TaskDefinitionRecord>(Kinds.TaskDefinition, Kinds.TaskDefinitionKey(family, revision.Value), ct).ConfigureAwait(false);
    }
}
