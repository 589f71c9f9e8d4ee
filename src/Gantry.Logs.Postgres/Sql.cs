using Npgsql;

namespace Gantry.Logs.Postgres;

/// <summary>Commands with positional parameters ($1, $2...) in the order given; null is SQL NULL.</summary>
internal static class Sql
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params ReadOnlySpan<object?> values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }

    /// <summary>Statements on one connection under one cancellation token.</summary>
    public static Session On(NpgsqlConnection connection, CancellationToken ct) => new(connection, ct);

    /// <summary>Names starting with the prefix, as the SQLite store tests them (a byte range under collation "C").</summary>
    public static string PrefixFilter(NpgsqlCommand command, string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return "";
        }
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        command.Parameters.Add(new NpgsqlParameter { Value = prefix + LogLimits.PrefixEnd });
        return $" AND name >= ${command.Parameters.Count - 1} AND name < ${command.Parameters.Count}";
    }

    /// <summary>Adds a parameter and returns its placeholder.</summary>
    public static string Add(NpgsqlCommand command, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Runs statements on one connection; see <see cref="Sql.On"/>.</summary>
internal readonly record struct Session(NpgsqlConnection Connection, CancellationToken Ct)
{
    public async Task<int> ExecuteAsync(string sql, params object?[] values)
    {
        await using var command = Sql.Command(Connection, sql, values);
        return await command.ExecuteNonQueryAsync(Ct).ConfigureAwait(false);
    }

    /// <summary>The first column of the first row; null for no row or NULL.</summary>
    public async Task<object?> ScalarAsync(string sql, params object?[] values)
    {
        await using var command = Sql.Command(Connection, sql, values);
        var value = await command.ExecuteScalarAsync(Ct).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }
}
