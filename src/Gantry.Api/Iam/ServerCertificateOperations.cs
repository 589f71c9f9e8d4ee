using System.Security.Cryptography;
using Gantry.Api.State;
using Gantry.Auth.Keys;
using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Iam;
using Gantry.Iam;
using Gantry.Store;

namespace Gantry.Api.Iam;

/// <summary>
/// UploadServerCertificate, GetServerCertificate, ListServerCertificates, DeleteServerCertificate: the certificates HTTPS
/// listeners name. The private key is kept sealed with the master key (context <c>"server-certificate:" + name</c>) and
/// never returned; a certificate an HTTPS listener uses cannot be deleted.
/// </summary>
public sealed partial class ServerCertificateOperations(Documents documents, ElbArns arns, MasterKey masterKey, TimeProvider time)
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string SealContext(string name) => "server-certificate:" + name;

    public async Task<UploadServerCertificateResponse> UploadAsync(UploadServerCertificateRequest request, CancellationToken ct)
    {
        var name = Name(request.ServerCertificateName);
        var path = PathOf(request.Path);
        var body = request.CertificateBody ?? throw IamErrors.Missing("certificateBody");
        var privateKey = request.PrivateKey ?? throw IamErrors.Missing("privateKey");
        if (request.Tags is { Count: > 0 })
        {
            throw IamErrors.InvalidInput("Tags on server certificates are not supported by Gantry.");
        }
        var expiration = PemCertificate.Validate(body, privateKey, request.CertificateChain);
        var metadata = new ServerCertificateMetadata
        {
            Path = path,
            ServerCertificateName = name,
            ServerCertificateId = "ASCA" + RandomNumberGenerator.GetString(IdAlphabet, 17),
            Arn = arns.ServerCertificate(path, name),
            UploadDate = time.GetUtcNow(),
            Expiration = expiration,
        };
        var record = new ServerCertificateRecord(metadata, body, request.CertificateChain, masterKey.Seal(privateKey, SealContext(name)));
        try
        {
            await documents.Store.CommitAsync([documents.Put(ElbKinds.ServerCertificate, name, record, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw IamErrors.AlreadyExists(name);
        }
        return new UploadServerCertificateResponse { ServerCertificateMetadata = metadata };
    }

    public async Task<GetServerCertificateResponse> GetAsync(GetServerCertificateRequest request, CancellationToken ct)
    {
        var name = Name(request.ServerCertificateName);
        var record = (await documents.GetAsync<ServerCertificateRecord>(ElbKinds.ServerCertificate, name, ct).ConfigureAwait(false))?.Value
            ?? throw IamErrors.NoSuchEntity(name);
        return new GetServerCertificateResponse
        {
            ServerCertificate = new ServerCertificate
            {
                ServerCertificateMetadata = record.Metadata,
                CertificateBody = record.CertificateBody,
                CertificateChain = record.CertificateChain,
                Tags = [],
            },
        };
    }

    public async Task<ListServerCertificatesResponse> ListAsync(ListServerCertificatesRequest request, CancellationToken ct)
    {
        var max = request.MaxItems ?? 100;
        if (max is < 1 or > 1000)
        {
            throw IamErrors.Validation($"1 validation error detected: Value '{max}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000");
        }
        var prefix = request.PathPrefix ?? "/";
        string? after;
        try
        {
            after = PageToken.Decode(request.Marker);
        }
        catch (Domain.Errors.AwsException)
        {
            throw IamErrors.Validation("Invalid Marker.");
        }
        var (items, next) = await documents.PageAsync<ServerCertificateRecord>(ElbKinds.ServerCertificate, null, after, max, descending: false,
            r => r.Metadata.Path!.StartsWith(prefix, StringComparison.Ordinal), ct).ConfigureAwait(false);
        return new ListServerCertificatesResponse
        {
            ServerCertificateMetadataList = [.. items.Select(r => r.Metadata)],
            IsTruncated = next is not null,
            Marker = next is null ? null : PageToken.Encode(next),
        };
    }

    public async Task DeleteAsync(DeleteServerCertificateRequest request, CancellationToken ct)
    {
        var name = Name(request.ServerCertificateName);
        var found = await documents.GetAsync<ServerCertificateRecord>(ElbKinds.ServerCertificate, name, ct).ConfigureAwait(false)
            ?? throw IamErrors.NoSuchEntity(name);
        var listeners = await documents.ListAllAsync<ListenerRecord>(ElbKinds.Listener, null, ct).ConfigureAwait(false);
        if (listeners.FirstOrDefault(l => l.Value.Listener.Certificates?.Any(c => c.CertificateArn == found.Value.Metadata.Arn) == true) is { } user)
        {
            throw IamErrors.DeleteConflict(found.Value.Metadata.ServerCertificateId!, user.Value.Listener.ListenerArn!);
        }
        await documents.Store.CommitAsync([new DeleteOp(ElbKinds.ServerCertificate, name, found.Version)], ct).ConfigureAwait(false);
    }

    private static string Name(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw IamErrors.Missing("serverCertificateName");
        }
        if (name.Length > 128 || !NamePattern().IsMatch(name))
        {
            throw IamErrors.Validation(
                $"1 validation error detected: Value '{name}' at 'serverCertificateName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
        return name;
    }

    private static string PathOf(string? path)
    {
        var value = path ?? "/";
        if (value.Length > 512 || !value.StartsWith('/') || !value.EndsWith('/'))
        {
            throw IamErrors.Validation(
                $"1 validation error detected: Value '{value}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
        }
        return value;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[\w+=,.@-]+$")]
    private static partial System.Text.RegularExpressions.Regex NamePattern();
}
