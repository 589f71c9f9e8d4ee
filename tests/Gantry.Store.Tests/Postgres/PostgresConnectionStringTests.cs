using Gantry.Store.Postgres;
using Npgsql;

namespace Gantry.Store.Tests.Postgres;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void A_url_becomes_host_port_database_user_password_and_ssl_mode()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresConnectionString.From("postgres://gantry:p%40ss@db.internal:6543/state?sslmode=require"));

        Assert.Equal(("db.internal", 6543, "state", "gantry", "p@ss", SslMode.Require),
            (built.Host, built.Port, built.Database, built.Username, built.Password, built.SslMode));
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(PostgresConnectionString.From("postgresql://db/state")).Port);
    }

    [Theory]
    [InlineData("postgres:///nohost")]
    [InlineData("mysql://db/state")]
    [InlineData("postgres://db/state?sslmode=sometimes")]
    [InlineData("postgres://db/state?nosuchparameter=1")]
    public void A_bad_url_is_refused_without_its_password(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.From(url));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Equal("postgres://gantry:***@db/state", PostgresConnectionString.Redacted("postgres://gantry:secret@db/state"));
    }
}
