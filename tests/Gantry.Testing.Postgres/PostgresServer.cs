using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Gantry.Testing.Postgres;

/// <summary>
/// A PostgreSQL server of Debian's package for the tests: initdb in a temporary directory owned by the postgres user,
/// started on a free 127.0.0.1 port (trust authentication, loopback only), a fresh database per test, stopped and
/// removed at the end. A fault test may stop it and start it again in between (the same data, the same port).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-pg-").FullName;
    private string _bin = "";
    private int _port;
    private bool _running;

    private string DataDirectory => Path.Combine(_directory, "data");

    public async Task InitializeAsync()
    {
        _bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => int.Parse(Path.GetFileName(Path.GetDirectoryName(d))!, CultureInfo.InvariantCulture)).FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql; scripts/install-deps does it)");
        await RunAsync("/usr/bin/chown", "postgres:postgres", _directory);
        await AsPostgresAsync("initdb", "-D", DataDirectory, "-A", "trust", "-U", "gantry", "-E", "UTF8", "--no-instructions");
        _port = FreePort();
        await StartAsync();
    }

    /// <summary>Starts the server (again) on its port and returns once it accepts connections.</summary>
    public async Task StartAsync()
    {
        await AsPostgresAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-c listen_addresses=127.0.0.1 -p {_port} -k {_directory}");
        _running = true;
    }

    /// <summary>`pg_ctl stop -m fast`: sessions are ended (57P01), open transactions rolled back, new connections refused;
    /// returns once the server is down.</summary>
    public async Task StopAsync()
    {
        await AsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");
        _running = false;
    }

    public async Task DisposeAsync()
    {
        if (_running)
        {
            await AsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE {new NpgsqlConnectionStringBuilder(connectionString).Database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Ends every other session on the database (a network cut, a failover): connections in use break.</summary>
    public async Task TerminateSessionsAsync(string connectionString)
    {
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", admin)
            {
                Parameters = { new() { Value = new NpgsqlConnectionStringBuilder(connectionString).Database } },
            };
            await terminate.ExecuteScalarAsync();
        }
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The database of <paramref name="connectionString"/> as the URL `gantry server --store` takes.</summary>
    public string UrlOf(string connectionString) => $"postgres://gantry@127.0.0.1:{_port}/{new NpgsqlConnectionStringBuilder(connectionString).Database}";

    private string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _port, Username = "gantry", Database = database }.ConnectionString;

    private Task AsPostgresAsync(string tool, params string[] arguments) => RunAsync("/usr/sbin/runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments]);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
