using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>
/// Turns a <c>postgres://user:password@host:port/database?sslmode=require</c> URL (libpq's URI form, as operators
/// write it) into an Npgsql connection string; anything else is taken as an Npgsql connection string already.
/// </summary>
public static class PostgresConnectionString
{
    public static bool IsPostgres(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.StartsWith("postgres://", StringComparison.Ordinal) || store.StartsWith("postgresql://", StringComparison.Ordinal);
    }

    /// <exception cref="ArgumentException">The URL or one of its query parameters is not valid.</exception>
    public static string From(string url)
    {
        if (!IsPostgres(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"expected postgres://[user[:password]@]host[:port]/database[?sslmode=...], got '{Redacted(url)}'", nameof(url));
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : null,
        };
        var credentials = uri.UserInfo.Split(':', 2);
        if (credentials[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(credentials[0]);
        }
        if (credentials.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(credentials[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var (name, value) = (Uri.UnescapeDataString(parts[0]), parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "");
            try
            {
                builder[name switch { "sslmode" => "SSL Mode", "application_name" => "Application Name", "connect_timeout" => "Timeout", _ => name }] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new ArgumentException($"the store URL's parameter '{name}' is not valid: {e.Message}", nameof(url), e);
            }
        }
        return builder.ConnectionString;
    }

    /// <summary>The URL without its password, for messages.</summary>
    public static string Redacted(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var colon = scheme < 0 || at < 0 ? -1 : url.IndexOf(':', scheme + 3, at - scheme - 3);
        return colon < 0 ? url : $"{url[..colon]}:***{url[at..]}";
    }
}
