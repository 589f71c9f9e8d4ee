// The named baseline for bench/api-throughput.sh: a plain ASP.NET Core minimal endpoint, no auth,
// no JSON parsing, answering POST / with a fixed small JSON body. Usage: Gantry.Bench.Baseline <port>
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture)));
var app = builder.Build();
app.MapPost("/", () => Results.Text("""{"clusters":[],"failures":[]}""", "application/x-amz-json-1.1"));
Console.WriteLine("baseline listening");
await app.RunAsync().ConfigureAwait(false);
