using System.Net;

namespace Gantry.Oci.Push;

/// <summary>The registry refused a push step; the message names the request, the status code and the registry's errors.</summary>
public sealed class RegistryPushException : Exception
{
    public RegistryPushException()
    {
    }

    public RegistryPushException(string message) : base(message)
    {
    }

    public RegistryPushException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public RegistryPushException(string message, HttpStatusCode statusCode) : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The registry's status code, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }
}
