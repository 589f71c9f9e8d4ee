using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>The security policies HTTPS listeners take (their protocols and ciphers as ELB lists them); the first is the default.</summary>
public static class SslPolicies
{
    public const string Default = "ELBSecurityPolicy-2016-08";

    private static readonly string[] Tls12Ciphers =
    [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
    ];

    public static IReadOnlyList<SslPolicy> All { get; } =
    [
        Policy(Default, ["TLSv1", "TLSv1.1", "TLSv1.2"],
        [
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
            "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
            "AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA",
        ]),
        Policy("ELBSecurityPolicy-TLS13-1-2-2021-06", ["TLSv1.2", "TLSv1.3"],
            ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", .. Tls12Ciphers,
             "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
             "AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA"]),
        Policy("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", ["TLSv1.2", "TLSv1.3"],
            ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
             "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"]),
        Policy("ELBSecurityPolicy-TLS13-1-3-2021-06", ["TLSv1.3"],
            ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]),
        Policy("ELBSecurityPolicy-TLS-1-2-2017-01", ["TLSv1.2"],
            [.. Tls12Ciphers, "AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"]),
    ];

    public static SslPolicy? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    private static SslPolicy Policy(string name, string[] protocols, string[] ciphers) => new()
    {
        Name = name,
        SslProtocols = protocols,
        Ciphers = [.. ciphers.Select((c, i) => new Cipher { Name = c, Priority = i + 1 })],
        SupportedLoadBalancerTypes = ["application", "network"],
    };
}
