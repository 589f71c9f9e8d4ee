using Gantry.Api.Front;
using Gantry.Domain.Arns;
using Gantry.Domain.Ssm;
using Gantry.Secrets.Parameters;

namespace Gantry.Api.Ssm;

/// <summary>Declares AWS Systems Manager's Parameter Store (<see cref="SsmModel"/>, AWS JSON 1.1 <c>AmazonSSM</c>, signed for <c>ssm</c>) and registers its operations.</summary>
public static class SsmOperations
{
    public static AwsOperationTable.Builder MapSsm(this AwsOperationTable.Builder table, ParameterStore store, AwsAccount account)
    {
        ArgumentNullException.ThrowIfNull(table);
        var parameters = new ParameterOperations(store, account);
        var queries = new ParameterQueries(store, parameters);
        var tags = new ParameterTagOperations(store);
        const string ssm = SsmModel.Name;
        return table
            .Service(ssm, SsmModel.SigningName)
            .Map<PutParameterRequest, PutParameterResult>(ssm, "PutParameter", (r, _, ct) => parameters.PutAsync(r, ct))
            .Map<GetParameterRequest, GetParameterResult>(ssm, "GetParameter", (r, _, ct) => parameters.GetAsync(r, ct))
            .Map<GetParametersRequest, GetParametersResult>(ssm, "GetParameters", (r, _, ct) => parameters.GetManyAsync(r, ct))
            .Map<GetParametersByPathRequest, GetParametersByPathResult>(ssm, "GetParametersByPath", (r, _, ct) => queries.ByPathAsync(r, ct))
            .Map<DeleteParameterRequest, DeleteParameterResult>(ssm, "DeleteParameter", (r, _, ct) => parameters.DeleteAsync(r, ct))
            .Map<DeleteParametersRequest, DeleteParametersResult>(ssm, "DeleteParameters", (r, _, ct) => parameters.DeleteManyAsync(r, ct))
            .Map<DescribeParametersRequest, DescribeParametersResult>(ssm, "DescribeParameters", (r, _, ct) => queries.DescribeAsync(r, ct))
            .Map<GetParameterHistoryRequest, GetParameterHistoryResult>(ssm, "GetParameterHistory", (r, _, ct) => parameters.HistoryAsync(r, ct))
            .Map<LabelParameterVersionRequest, LabelParameterVersionResult>(ssm, "LabelParameterVersion", (r, _, ct) => parameters.LabelAsync(r, ct))
            .Map<UnlabelParameterVersionRequest, UnlabelParameterVersionResult>(ssm, "UnlabelParameterVersion", (r, _, ct) => parameters.UnlabelAsync(r, ct))
            .Map<AddTagsToResourceRequest, AddTagsToResourceResult>(ssm, "AddTagsToResource", (r, _, ct) => tags.AddAsync(r, ct))
            .Map<RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult>(ssm, "RemoveTagsFromResource", (r, _, ct) => tags.RemoveAsync(r, ct))
            .Map<ListTagsForResourceRequest, ListTagsForResourceResult>(ssm, "ListTagsForResource", (r, _, ct) => tags.ListAsync(r, ct));
    }
}
