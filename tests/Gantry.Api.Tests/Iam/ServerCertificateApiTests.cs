using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Api.Iam;
using Gantry.Api.Tests.Elbv2;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Tests.Iam;

/// <summary>IAM server certificates through the real AWS CLI, and HTTPS listeners that name them.</summary>
public sealed class ServerCertificateApiTests : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly SignedApiTestHost _host;
    private readonly LoadBalancerTestCli _aws;
    private readonly LoadBalancerFixtures _fixtures;
    private readonly string _files = Directory.CreateTempSubdirectory("gantry-certs-").FullName;

    public ServerCertificateApiTests(SignedApiTestHost host)
    {
        _host = host;
        _aws = new LoadBalancerTestCli(host);
        _fixtures = new LoadBalancerFixtures(host, _aws);
    }

    public void Dispose()
    {
        _aws.Dispose();
        Directory.Delete(_files, recursive: true);
    }

    [Fact]
    public async Task An_uploaded_certificate_is_listed_fetched_without_its_key_sealed_at_rest_and_used_by_an_HTTPS_listener()
    {
        var (cert, key) = SelfSigned("web.example.com");
        var metadata = (await _aws.OkAsync("iam", "upload-server-certificate", "--server-certificate-name", "web-cert",
            "--certificate-body", File(cert), "--private-key", File(key))).GetProperty("ServerCertificateMetadata");
        var arn = metadata.GetProperty("Arn").GetString()!;
        Assert.Matches("^arn:aws:iam::[0-9]{12}:server-certificate/web-cert$", arn);
        Assert.StartsWith("ASCA", metadata.GetProperty("ServerCertificateId").GetString(), StringComparison.Ordinal);

        var fetched = (await _aws.OkAsync("iam", "get-server-certificate", "--server-certificate-name", "web-cert")).GetProperty("ServerCertificate");
        Assert.Equal(cert.Trim(), fetched.GetProperty("CertificateBody").GetString()!.Trim());
        Assert.Contains((await _aws.OkAsync("iam", "list-server-certificates")).GetProperty("ServerCertificateMetadataList").EnumerateArray(),
            m => m.GetProperty("Arn").GetString() == arn);
        var stored = await _fixtures.Documents.GetAsync<ServerCertificateRecord>(ElbKinds.ServerCertificate, "web-cert", default);
        Assert.DoesNotContain("PRIVATE KEY", stored!.Value.SealedPrivateKey, StringComparison.Ordinal);
        Assert.Equal(key, _host.Registry.MasterKey.Open(stored.Value.SealedPrivateKey, ServerCertificateOperations.SealContext("web-cert")));

        var lb = await _fixtures.BalancerAsync("https-lb");
        var listener = (await _aws.OkAsync("elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTPS", "--port", "443",
            "--certificates", $"CertificateArn={arn}", "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200}")).GetProperty("Listeners")[0];
        Assert.Equal(("ELBSecurityPolicy-2016-08", arn), (listener.GetProperty("SslPolicy").GetString(),
            listener.GetProperty("Certificates")[0].GetProperty("CertificateArn").GetString()));

        Assert.Contains("is currently in use by", await _aws.FailsAsync("DeleteConflict", "iam", "delete-server-certificate", "--server-certificate-name", "web-cert"),
            StringComparison.Ordinal);
        await _aws.OkAsync("elbv2", "delete-listener", "--listener-arn", listener.GetProperty("ListenerArn").GetString()!);
        await _aws.OkAsync("iam", "delete-server-certificate", "--server-certificate-name", "web-cert");
        Assert.Equal("The Server Certificate with name web-cert cannot be found.",
            await _aws.FailsAsync("NoSuchEntity", "iam", "get-server-certificate", "--server-certificate-name", "web-cert"));
    }

    [Fact]
    public async Task Malformed_mismatched_and_duplicate_certificates_are_refused_as_IAM_words_it()
    {
        var (cert, key) = SelfSigned("a.example.com");
        var (_, otherKey) = SelfSigned("b.example.com");
        Assert.Equal("Unable to parse certificate. Please ensure the certificate is in PEM format.", await _aws.FailsAsync("MalformedCertificate",
            "iam", "upload-server-certificate", "--server-certificate-name", "bad", "--certificate-body", "not a certificate", "--private-key", File(key)));
        Assert.Equal("The public key certificate and the private key do not match.", await _aws.FailsAsync("KeyPairMismatch",
            "iam", "upload-server-certificate", "--server-certificate-name", "bad", "--certificate-body", File(cert), "--private-key", File(otherKey)));
        await _aws.OkAsync("iam", "upload-server-certificate", "--server-certificate-name", "twice", "--certificate-body", File(cert), "--private-key", File(key));
        Assert.Equal("The Server Certificate with name twice already exists.", await _aws.FailsAsync("EntityAlreadyExists",
            "iam", "upload-server-certificate", "--server-certificate-name", "twice", "--certificate-body", File(cert), "--private-key", File(key)));

        var lb = await _fixtures.BalancerAsync("https-missing");
        var missing = "arn:aws:iam::000000000000:server-certificate/nope";
        Assert.Equal($"Certificate '{missing}' not found", await _aws.FailsAsync("CertificateNotFound", "elbv2", "create-listener", "--load-balancer-arn", lb,
            "--protocol", "HTTPS", "--port", "443", "--certificates", $"CertificateArn={missing}",
            "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200}"));
    }

    private static (string Certificate, string PrivateKey) SelfSigned(string host)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={host}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (certificate.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem());
    }

    private string File(string content)
    {
        var path = Path.Combine(_files, Guid.NewGuid().ToString("N") + ".pem");
        System.IO.File.WriteAllText(path, content);
        return "file://" + path;
    }
}
