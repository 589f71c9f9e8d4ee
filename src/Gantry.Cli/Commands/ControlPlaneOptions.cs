using System.CommandLine;
using System.Net;
using Gantry.ControlPlane.Retention;
using Gantry.Domain.Arns;
using Gantry.Store.Postgres;

namespace Gantry.Cli.Commands;

/// <summary>Options shared by `gantry server` and `gantry dev` (which differ in whether they write root-credentials by default).</summary>
internal sealed class ControlPlaneOptions(bool writeRootCredentialsByDefault)
{
    public Option<string> Listen { get; } = new("--listen")
    {
        Description = "Address to serve the AWS APIs on (host:port; port 0 picks a free one).",
        DefaultValueFactory = _ => "127.0.0.1:4566",
    };

    public Option<string?> AgentListen { get; } = new("--agent-listen")
    {
        Description = "Address of the agents' gRPC (HTTP/2) listener (default: the --listen port + 1, or a free port when that is 0).",
    };

    public Option<int> NodeLostAfter { get; } = new("--node-lost-after")
    {
        Description = "Seconds a node may be disconnected before services replace its tasks elsewhere.",
        DefaultValueFactory = _ => 30,
    };

    public Option<string> DataDirectory { get; } = new("--data-dir")
    {
        Description = "Where state, keys and content live.",
        DefaultValueFactory = _ => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gantry"),
    };

    public Option<string> Region { get; } = new("--region")
    {
        Description = "Region used in ARNs and expected in signatures.",
        DefaultValueFactory = _ => AwsAccount.Default.Region,
    };

    public Option<string> AccountId { get; } = new("--account-id")
    {
        Description = "12-digit account id used in ARNs.",
        DefaultValueFactory = _ => AwsAccount.Default.AccountId,
    };

    public Option<string> UploadExpiry { get; } = new("--upload-expiry")
    {
        Description = $"How long a registry upload may stay unfinished (a killed push) before its partial data is removed ({Durations.Examples}; at least 1m).",
        DefaultValueFactory = _ => "24h",
    };

    public Option<bool> WriteRootCredentials { get; } = new("--write-root-credentials")
    {
        Description = "Also keep the root access key in clear in <data-dir>/root-credentials (AWS CLI format, mode 0600); without it the file is removed.",
        DefaultValueFactory = _ => writeRootCredentialsByDefault,
    };

    public Option<string> LoadBalancerAddresses { get; } = new("--lb-addresses")
    {
        Description = "CIDR of the addresses load balancers' listeners bind, one per load balancer (their DNS names resolve to them).",
        DefaultValueFactory = _ => "127.0.100.0/24",
    };

    public Option<string> DefaultVpcCidr { get; } = new("--default-vpc-cidr")
    {
        Description = "IPv4 CIDR (/16 to /28) of the default VPC made on first start; awsvpc tasks get addresses of its subnets, routed by the nodes.",
        DefaultValueFactory = _ => "172.31.0.0/16",
    };

    public Option<string> HostsFile { get; } = new("--hosts-file")
    {
        Description = "The hosts file where load balancers' DNS names are mapped to their addresses (a block of its own; \"none\" to write none).",
        DefaultValueFactory = _ => Gantry.LoadBalancing.Hosts.HostsFile.DefaultPath,
    };

    public Option<string?> DnsListen { get; } = new("--dns-listen")
    {
        Description = "Where the DNS server for Cloud Map namespaces listens, udp and tcp (agents relay their tasks' queries to it; "
            + $"default: the --listen address, port {DefaultDnsPort}; none for no DNS server).",
    };

    public Option<string?> DnsUpstream { get; } = new("--dns-upstream")
    {
        Description = "The resolvers names outside the namespaces are forwarded to, host[:port] comma-separated (default: the nameservers of /etc/resolv.conf).",
    };

    /// <summary>The DNS server's port when only the --listen address is given (agents assume it too).</summary>
    public const int DefaultDnsPort = 8053;

    public Option<string> StoppedTaskRetention { get; } = new("--stopped-task-retention")
    {
        Description = $"How long a stopped task stays describable before it is purged ({Durations.Examples}; ECS keeps them about an hour).",
        DefaultValueFactory = _ => "1h",
    };

    public Option<string> ChangeFeedRetention { get; } = new("--change-feed-retention")
    {
        Description = $"How long the store's change feed keeps a change ({Durations.Examples}): a replica or follower further behind reads the state again.",
        DefaultValueFactory = _ => "15m",
    };

    public Option<long> ChangeFeedKeepRevisions { get; } = new("--change-feed-keep-revisions")
    {
        Description = "How many of the newest revisions the change feed keeps whatever their age.",
        DefaultValueFactory = _ => 100_000,
    };

    public Option<string?> Store { get; } = new("--store")
    {
        Description = "The state store, log store and registry catalog: a postgres://user:password@host:port/database URL (PostgreSQL, shared by "
            + "replicas), or none for the SQLite files in --data-dir.",
    };

    public Option<string?> Blobs { get; } = new("--blobs")
    {
        Description = "Where the registry keeps blobs and uploads in progress: a directory every replica of one --store shares (NFS, CephFS) "
            + "(default: <data-dir>/registry).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Listen);
        command.Options.Add(AgentListen);
        command.Options.Add(NodeLostAfter);
        command.Options.Add(DataDirectory);
        command.Options.Add(Region);
        command.Options.Add(AccountId);
        command.Options.Add(UploadExpiry);
        command.Options.Add(WriteRootCredentials);
        command.Options.Add(LoadBalancerAddresses);
        command.Options.Add(DefaultVpcCidr);
        command.Options.Add(HostsFile);
        command.Options.Add(DnsListen);
        command.Options.Add(DnsUpstream);
        command.Options.Add(StoppedTaskRetention);
        command.Options.Add(ChangeFeedRetention);
        command.Options.Add(ChangeFeedKeepRevisions);
        command.Options.Add(Store);
        command.Options.Add(Blobs);
    }

    /// <summary>The settings the options give, or null after telling on standard error which option is wrong and why.</summary>
    public ControlPlaneSettings? TryRead(ParseResult result, string command)
    {
        try
        {
            return Read(result);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"gantry {command}: {e.Message}");
            return null;
        }
    }

    private ControlPlaneSettings Read(ParseResult result)
    {
        var listen = result.GetValue(Listen)!;
        if (!IPEndPoint.TryParse(listen, out var endpoint))
        {
            throw new ArgumentException($"--listen must be host:port with an IP address, got '{listen}'.");
        }
        var accountId = result.GetValue(AccountId)!;
        if (accountId.Length != 12 || !accountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"--account-id must be 12 digits, got '{accountId}'.");
        }
        var agentText = result.GetValue(AgentListen);
        IPEndPoint agent;
        if (agentText is null)
        {
            agent = new IPEndPoint(endpoint.Address, endpoint.Port == 0 ? 0 : endpoint.Port + 1);
        }
        else if (!IPEndPoint.TryParse(agentText, out agent!))
        {
            throw new ArgumentException($"--agent-listen must be host:port with an IP address, got '{agentText}'.");
        }
        var expiryText = result.GetValue(UploadExpiry)!;
        if (!Durations.TryParse(expiryText, out var uploadExpiry) || uploadExpiry < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"--upload-expiry must be a duration of at least 1m ({Durations.Examples}), got '{expiryText}'.");
        }
        var retentionText = result.GetValue(StoppedTaskRetention)!;
        if (!Durations.TryParse(retentionText, out var stoppedTaskRetention) || stoppedTaskRetention < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"--stopped-task-retention must be a duration of at least 1s ({Durations.Examples}), got '{retentionText}'.");
        }
        var feedText = result.GetValue(ChangeFeedRetention)!;
        if (!Durations.TryParse(feedText, out var feedRetention) || feedRetention < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"--change-feed-retention must be a duration of at least 1m ({Durations.Examples}), got '{feedText}'.");
        }
        var keepRevisions = result.GetValue(ChangeFeedKeepRevisions);
        if (keepRevisions < 1000)
        {
            throw new ArgumentException($"--change-feed-keep-revisions must be at least 1000, got {keepRevisions}.");
        }
        var poolText = result.GetValue(LoadBalancerAddresses)!;
        if (!IPNetwork.TryParse(poolText, out var pool))
        {
            throw new ArgumentException($"--lb-addresses must be a CIDR such as 127.0.100.0/24, got '{poolText}'.");
        }
        var vpcText = result.GetValue(DefaultVpcCidr)!;
        if (!IPNetwork.TryParse(vpcText, out var vpc) || vpc.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || vpc.ToString() != vpcText || vpc.PrefixLength is < 16 or > 28)
        {
            throw new ArgumentException($"--default-vpc-cidr must be an IPv4 CIDR from /16 to /28 with no host bits, such as 172.31.0.0/16, got '{vpcText}'.");
        }
        var dnsText = result.GetValue(DnsListen);
        IPEndPoint? dns = null;
        if (dnsText is null)
        {
            dns = new IPEndPoint(endpoint.Address, endpoint.Port == 0 ? 0 : DefaultDnsPort);
        }
        else if (dnsText != "none" && !IPEndPoint.TryParse(dnsText, out dns))
        {
            throw new ArgumentException($"--dns-listen must be host:port with an IP address, or none, got '{dnsText}'.");
        }
        var upstreams = new List<IPEndPoint>();
        foreach (var text in (result.GetValue(DnsUpstream) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPEndPoint.TryParse(text, out var upstream))
            {
                throw new ArgumentException($"--dns-upstream must list host[:port] with IP addresses, got '{text}'.");
            }
            upstreams.Add(upstream.Port == 0 ? new IPEndPoint(upstream.Address, 53) : upstream);
        }
        return new ControlPlaneSettings(endpoint, agent, Path.GetFullPath(result.GetValue(DataDirectory)!), new AwsAccount(result.GetValue(Region)!, accountId),
            TimeSpan.FromSeconds(Math.Max(1, result.GetValue(NodeLostAfter))), uploadExpiry, result.GetValue(WriteRootCredentials))
        {
            LoadBalancerAddresses = pool,
            DefaultVpcCidr = vpc,
            HostsFile = result.GetValue(HostsFile) is "none" ? null : Path.GetFullPath(result.GetValue(HostsFile)!),
            Store = result.GetValue(Store) is { } store ? StoreUrl(store) : null,
            StoppedTaskRetention = stoppedTaskRetention,
            ChangeFeed = new ChangeFeedRetention(feedRetention, keepRevisions),
            Blobs = result.GetValue(Blobs) is { } blobs ? Path.GetFullPath(blobs) : null,
            DnsListen = dns,
            DnsUpstreams = upstreams.Count > 0 ? upstreams : null,
        };
    }

    private static string StoreUrl(string store)
    {
        try
        {
            return PostgresConnectionString.From(store);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--store: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }
}

internal sealed record ControlPlaneSettings(IPEndPoint Listen, IPEndPoint AgentListen, string DataDirectory, AwsAccount Account, TimeSpan NodeLostAfter,
    TimeSpan UploadExpiry, bool WriteRootCredentials)
{
    /// <summary>The load balancer address pool (<c>--lb-addresses</c>).</summary>
    public IPNetwork LoadBalancerAddresses { get; init; } = IPNetwork.Parse("127.0.100.0/24");

    /// <summary>The default VPC's CIDR (<c>--default-vpc-cidr</c>), used when it is first made.</summary>
    public IPNetwork DefaultVpcCidr { get; init; } = Gantry.ControlPlane.Networks.NetworkDirectory.Ec2DefaultVpcCidr;

    /// <summary>Where load balancers' DNS names are written (<c>--hosts-file</c>); null for nowhere.</summary>
    public string? HostsFile { get; init; } = Gantry.LoadBalancing.Hosts.HostsFile.DefaultPath;

    /// <summary>What the change feed keeps (<c>--change-feed-retention</c>, <c>--change-feed-keep-revisions</c>).</summary>
    public ChangeFeedRetention ChangeFeed { get; init; } = ChangeFeedRetention.Default;

    /// <summary>How long a stopped task stays describable (<c>--stopped-task-retention</c>).</summary>
    public TimeSpan StoppedTaskRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The PostgreSQL connection string of the state store (<c>--store</c>); null for the SQLite file in the data directory.</summary>
    public string? Store { get; init; }

    /// <summary>The registry's blob directory (<c>--blobs</c>); null for <c>registry/</c> in the data directory.</summary>
    public string? Blobs { get; init; }

    /// <summary>Where the Cloud Map DNS server listens (<c>--dns-listen</c>); null for none.</summary>
    public IPEndPoint? DnsListen { get; init; }

    /// <summary>Where names outside the namespaces are forwarded (<c>--dns-upstream</c>); null for /etc/resolv.conf's nameservers.</summary>
    public IReadOnlyList<IPEndPoint>? DnsUpstreams { get; init; }
}
