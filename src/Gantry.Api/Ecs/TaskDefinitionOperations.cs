using Gantry.ControlPlane.State;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Domain.TaskDefinitions;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>RegisterTaskDefinition, DescribeTaskDefinition, DeregisterTaskDefinition, DeleteTaskDefinitions.</summary>
public sealed class TaskDefinitionOperations(Documents documents, EcsArns arns, TimeProvider time)
{
    private const int MaxAttempts = 16;
    private readonly TaskDefinitionLookup _lookup = new(documents, arns);

    public async Task<RegisterTaskDefinitionResponse> RegisterAsync(RegisterTaskDefinitionRequest request, CancellationToken ct)
    {
        var valid = TaskDefinitionValidator.Validate(request);
        EcsTags.Validate(request.Tags, "tags");
        var family = valid.Family!;
        for (var attempt = 1; ; attempt++)
        {
            var familyRecord = await documents.GetAsync<TaskDefinitionFamilyRecord>(Kinds.TaskDefinitionFamily, family, ct).ConfigureAwait(false);
            var revision = (familyRecord?.Value.LatestRevision ?? 0) + 1;
            var definition = TaskDefinitionShaper.FromRequest(valid, arns.TaskDefinition(family, revision), revision,
                arns.Account.Root, time.GetUtcNow());
            var tags = request.Tags ?? [];
            try
            {
                await documents.Store.CommitAsync(
                [
                    documents.Put(Kinds.TaskDefinitionFamily, family, new TaskDefinitionFamilyRecord(family, revision, revision),
                        familyRecord?.Version ?? WriteOp.MustNotExist),
                    documents.Put(Kinds.TaskDefinition, Kinds.TaskDefinitionKey(family, revision), new TaskDefinitionRecord(definition, tags),
                        WriteOp.MustNotExist),
                ], ct).ConfigureAwait(false);
                return new RegisterTaskDefinitionResponse { TaskDefinition = definition, Tags = tags };
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another registration of the same family took this revision: take the next one.
            }
        }
    }

    public async Task<DescribeTaskDefinitionResponse> DescribeAsync(DescribeTaskDefinitionRequest request, CancellationToken ct)
    {
        var found = await _lookup.FindAsync(request.TaskDefinition, requireRevision: false, ct).ConfigureAwait(false)
            ?? throw EcsErrors.Client("Unable to describe task definition.");
        var includeTags = TaskDefinitionInclude.Tags(request.Include);
        return new DescribeTaskDefinitionResponse
        {
            TaskDefinition = found.Value.Definition,
            Tags = includeTags ? found.Value.Tags : null,
        };
    }

    public async Task<DeregisterTaskDefinitionResponse> DeregisterAsync(DeregisterTaskDefinitionRequest request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var found = await _lookup.FindAsync(request.TaskDefinition, requireRevision: true, ct).ConfigureAwait(false)
                ?? throw EcsErrors.Client("The specified task definition does not exist.");
            var definition = found.Value.Definition;
            if (definition.Status != TaskDefinitionStatusValues.ACTIVE)
            {
                return new DeregisterTaskDefinitionResponse { TaskDefinition = definition };
            }
            var deregistered = definition with { Status = TaskDefinitionStatusValues.INACTIVE, DeregisteredAt = time.GetUtcNow() };
            var family = definition.Family!;
            var familyRecord = await documents.GetAsync<TaskDefinitionFamilyRecord>(Kinds.TaskDefinitionFamily, family, ct).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Task definition family {family} has no family record.");
            var latestActive = familyRecord.Value.LatestActiveRevision == definition.Revision
                ? await PreviousActiveRevisionAsync(family, definition.Revision!.Value, ct).ConfigureAwait(false)
                : familyRecord.Value.LatestActiveRevision;
            try
            {
                await documents.Store.CommitAsync(
                [
                    documents.Put(Kinds.TaskDefinition, Kinds.TaskDefinitionKey(family, definition.Revision!.Value),
                        found.Value with { Definition = deregistered }, found.Version),
                    documents.Put(Kinds.TaskDefinitionFamily, family, familyRecord.Value with { LatestActiveRevision = latestActive },
                        familyRecord.Version),
                ], ct).ConfigureAwait(false);
                return new DeregisterTaskDefinitionResponse { TaskDefinition = deregistered };
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Raced with another change to this family: read again.
            }
        }
    }

    public async Task<DeleteTaskDefinitionsResponse> DeleteAsync(DeleteTaskDefinitionsRequest request, CancellationToken ct)
    {
        var references = request.TaskDefinitions ?? [];
        if (references.Count is 0 or > 10)
        {
            throw EcsErrors.InvalidParameter("taskDefinitions must contain between 1 and 10 items.");
        }
        var deleted = new List<TaskDefinition>();
        var failures = new List<Failure>();
        foreach (var reference in references)
        {
            if (!arns.TryParseTaskDefinition(reference, out var family, out var revision) || revision is null)
            {
                failures.Add(new Failure { Arn = reference, Reason = "The specified task definition identifier is invalid. Specify a family and revision (family:revision) or a full ARN." });
                continue;
            }
            var key = Kinds.TaskDefinitionKey(family, revision.Value);
            try
            {
                var updated = await documents.UpdateAsync<TaskDefinitionRecord>(Kinds.TaskDefinition, key, current => current switch
                {
                    null => throw EcsErrors.Client("The specified task definition does not exist."),
                    { Definition.Status: TaskDefinitionStatusValues.ACTIVE } =>
                        throw EcsErrors.Client("The specified task definition is ACTIVE. Deregister it before deleting it."),
                    { Definition.Status: TaskDefinitionStatusValues.DELETE_IN_PROGRESS } => current,
                    _ => current with
                    {
                        Definition = current.Definition with { Status = TaskDefinitionStatusValues.DELETE_IN_PROGRESS },
                    },
                }, ct).ConfigureAwait(false);
                deleted.Add(updated.Definition);
            }
            catch (AwsException e)
            {
                failures.Add(new Failure { Arn = arns.TaskDefinition(family, revision.Value), Reason = e.Message });
            }
        }
        return new DeleteTaskDefinitionsResponse { TaskDefinitions = deleted, Failures = failures };
    }

    private async Task<int> PreviousActiveRevisionAsync(string family, int revision, CancellationToken ct)
    {
        var (older, _) = await documents.PageAsync<TaskDefinitionRecord>(
            Kinds.TaskDefinition, Kinds.TaskDefinitionFamilyPrefix(family), Kinds.TaskDefinitionKey(family, revision), 1, descending: true,
            r => r.Definition.Status == TaskDefinitionStatusValues.ACTIVE, ct).ConfigureAwait(false);
        return older.Count == 0 ? 0 : older[0].Definition.Revision!.Value;
    }
}
