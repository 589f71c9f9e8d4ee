namespace Gantry.Registry.Catalog;

/// <summary>The error codes of the OCI distribution spec (plus TAG_INVALID, which ECR returns for immutable tags, and
/// distribution's PAGINATION_NUMBER_INVALID for a bad <c>n</c>).</summary>
public enum RegistryError
{
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    TagInvalid,
    RangeInvalid,
    ManifestTooLarge,
    PaginationNumberInvalid,
}

/// <summary>A registry operation refused; <see cref="Code"/> decides the wire code and HTTP status.</summary>
public sealed class RegistryException(RegistryError code, string message) : Exception(message)
{
    public RegistryError Code { get; } = code;
}
