using System.Globalization;
using System.Net;
using Gantry.Bench.Dns;
using Gantry.Dns;
using Microsoft.Extensions.Logging;

// serve                                     host a DnsServer on 127.0.0.1 (zone app.local, web.app.local with 50 A records); prints "port N"
// load PORT NAME [CLIENTS] [SECONDS] [WINDOW] query NAME A over UDP from CLIENTS clients for SECONDS; prints "queries/s N"
switch (args.FirstOrDefault())
{
    case "serve":
        using (var loggerFactory = LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning)))
        {
            await using var server = await DnsServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), [], loggerFactory.CreateLogger("dns"), CancellationToken.None);
            server.Update(new DnsCatalog([new DnsZone("app.local", 1, 30,
            [
                new DnsRecordSet("web.app.local", DnsRecordType.A, 60, DnsRoutingPolicy.Multivalue,
                    [.. Enumerable.Range(1, 50).Select(i => new DnsAddress(IPAddress.Parse($"10.0.0.{i}")))]),
            ])]));
            Console.WriteLine($"port {server.Endpoint.Port}");
            // Until stdin closes (the script keeps it open) or the process is killed.
            await Console.In.ReadToEndAsync();
        }
        return 0;
    case "load" when args.Length >= 3:
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var clients = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8;
        var seconds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10;
        var window = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 8;
        var result = LoadGenerator.Run(new IPEndPoint(IPAddress.Loopback, port), args[2], clients, TimeSpan.FromSeconds(seconds), window);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queries/s {result.Answered / result.Elapsed.TotalSeconds:F0} answered {result.Answered} bad {result.Bad} timeouts {result.Timeouts} answers/response {result.AverageAnswers:F1}"));
        return 0;
    default:
        Console.Error.WriteLine("usage: Gantry.Bench.Dns serve | load PORT NAME [CLIENTS] [SECONDS] [WINDOW]");
        return 2;
}
