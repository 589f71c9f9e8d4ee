using Gantry.Api.Front;
using Gantry.Domain.Iam;

namespace Gantry.Api.Iam;

/// <summary>Declares the IAM awsQuery service (<see cref="IamModel"/>, signed for <c>iam</c>) and registers its server certificate operations.</summary>
public static class IamOperations
{
    public static AwsService Service { get; } = AwsService.Query(IamModel.Name, IamModel.SigningName, IamModel.Version, IamModel.XmlNamespace, IamModel.Errors);

    public static AwsOperationTable.Builder MapIam(this AwsOperationTable.Builder table, ServerCertificateOperations certificates)
    {
        ArgumentNullException.ThrowIfNull(table);
        const string iam = IamModel.Name;
        return table
            .Service(Service)
            .Map<UploadServerCertificateRequest, UploadServerCertificateResponse>(iam, "UploadServerCertificate", (r, _, ct) => certificates.UploadAsync(r, ct))
            .Map<GetServerCertificateRequest, GetServerCertificateResponse>(iam, "GetServerCertificate", (r, _, ct) => certificates.GetAsync(r, ct))
            .Map<ListServerCertificatesRequest, ListServerCertificatesResponse>(iam, "ListServerCertificates", (r, _, ct) => certificates.ListAsync(r, ct))
            .Map<DeleteServerCertificateRequest>(iam, "DeleteServerCertificate", (r, _, ct) => certificates.DeleteAsync(r, ct));
    }
}
