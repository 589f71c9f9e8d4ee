namespace Gantry.Oci;

/// <summary>A manifest that cannot be accepted; the message names what is wrong.</summary>
public sealed class InvalidManifestException : Exception
{
    public InvalidManifestException(string message) : base(message)
    {
    }

    public InvalidManifestException()
    {
    }

    public InvalidManifestException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
