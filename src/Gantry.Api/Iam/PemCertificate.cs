using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>Checks what UploadServerCertificate is given: a PEM certificate, its PEM private key (RSA or EC) matching it, an optional PEM chain.</summary>
public static class PemCertificate
{
    /// <summary>The certificate's expiry; throws IAM's MalformedCertificate or KeyPairMismatch.</summary>
    public static DateTimeOffset Validate(string body, string privateKey, string? chain)
    {
        using var certificate = Parse(body);
        using var key = Key(privateKey);
        try
        {
            using var paired = key switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                _ => throw IamErrors.MalformedCertificate("Unable to parse private key."),
            };
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw IamErrors.KeyPairMismatch();
        }
        if (chain is not null)
        {
            var certificates = new X509Certificate2Collection();
            try
            {
                certificates.ImportFromPem(chain);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw IamErrors.MalformedCertificate("Unable to parse certificate chain. Please ensure the chain is in PEM format.");
            }
            foreach (var c in certificates)
            {
                c.Dispose();
            }
            if (certificates.Count == 0)
            {
                throw IamErrors.MalformedCertificate("Unable to parse certificate chain. Please ensure the chain is in PEM format.");
            }
        }
        return new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
    }

    private static X509Certificate2 Parse(string body)
    {
        try
        {
            return X509Certificate2.CreateFromPem(body);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw IamErrors.MalformedCertificate("Unable to parse certificate. Please ensure the certificate is in PEM format.");
        }
    }

    private static AsymmetricAlgorithm Key(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
        }
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            return ecdsa;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw IamErrors.MalformedCertificate("Unable to parse private key.");
        }
    }
}
