using System.Text.Json;
using Gantry.Registry.Catalog;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Distribution;

/// <summary>The one table from <see cref="RegistryError"/> to the spec's wire code and HTTP status, and the error body writer.</summary>
public static class DistributionErrors
{
    public static (string Code, int Status) Of(RegistryError error) => error switch
    {
        RegistryError.BlobUnknown => ("BLOB_UNKNOWN", 404),
        RegistryError.BlobUploadInvalid => ("BLOB_UPLOAD_INVALID", 400),
        RegistryError.BlobUploadUnknown => ("BLOB_UPLOAD_UNKNOWN", 404),
        RegistryError.DigestInvalid => ("DIGEST_INVALID", 400),
        RegistryError.ManifestBlobUnknown => ("MANIFEST_BLOB_UNKNOWN", 400),
        RegistryError.ManifestInvalid => ("MANIFEST_INVALID", 400),
        RegistryError.ManifestUnknown => ("MANIFEST_UNKNOWN", 404),
        RegistryError.NameInvalid => ("NAME_INVALID", 400),
        RegistryError.NameUnknown => ("NAME_UNKNOWN", 404),
        RegistryError.SizeInvalid => ("SIZE_INVALID", 400),
        RegistryError.Unauthorized => ("UNAUTHORIZED", 401),
        RegistryError.Denied => ("DENIED", 403),
        RegistryError.Unsupported => ("UNSUPPORTED", 405),
        RegistryError.TooManyRequests => ("TOOMANYREQUESTS", 429),
        RegistryError.TagInvalid => ("TAG_INVALID", 400),
        RegistryError.RangeInvalid => ("BLOB_UPLOAD_INVALID", 416),
        RegistryError.ManifestTooLarge => ("MANIFEST_INVALID", 413),
        RegistryError.PaginationNumberInvalid => ("PAGINATION_NUMBER_INVALID", 400),
        _ => ("UNSUPPORTED", 400),
    };

    public static async Task WriteAsync(HttpResponse response, RegistryError error, string message)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.HasStarted)
        {
            return;
        }
        var (code, status) = Of(error);
        response.StatusCode = status;
        response.ContentType = "application/json";
        var body = new { errors = new[] { new { code, message, detail = (object?)null } } };
        await JsonSerializer.SerializeAsync(response.Body, body).ConfigureAwait(false);
    }
}
