using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Newsletter.Core.Data;

/// <summary>
/// One table from SQLite into PostgreSQL with binary COPY, the columns both sides have. Table and
/// column names cannot be parameters; they come from <see cref="DatabaseCopy.Tables"/> and the
/// two catalogs, and are quoted besides.
/// </summary>
internal static class TableCopy
{
    private const string TargetColumns = """
        SELECT column_name AS "Name", data_type AS "Type" FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position
        """;

    private const string SourceColumns = "SELECT name FROM pragma_table_info(@table)";

    private sealed record Column(string Name, string Type);

    /// <summary>Copies every row of <paramref name="table"/>; returns how many.</summary>
    public static async Task<long> RunAsync(SqliteTransaction snapshot, NpgsqlConnection target, string table, CancellationToken ct)
    {
        var reading = snapshot.Connection!;
        var sourceColumns = (await reading.QueryAsync<string>(new CommandDefinition(SourceColumns, new { table }, snapshot, cancellationToken: ct)))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        // The target's list decides: a column added by a later migration copies without a change here,
        // and one the target lacks is not silently dropped into the wrong place.
        var columns = (await target.QueryAsync<Column>(new CommandDefinition(TargetColumns, new { table }, cancellationToken: ct)))
            .Where(c => sourceColumns.Contains(c.Name)).ToArray();
        if (columns.Length == 0) throw new DatabaseCopyException($"The table {table} is missing from the SQLite or the PostgreSQL database.");
        var types = columns.Select(c => TypeOf(table, c)).ToArray();
        var list = string.Join(", ", columns.Select(c => Quoted(c.Name)));

        await using var read = reading.CreateCommand();
        read.Transaction = snapshot;
        read.CommandText = $"SELECT {list} FROM {Quoted(table)}";
        await using var rows = await read.ExecuteReaderAsync(ct);
        await using var writer = await target.BeginBinaryImportAsync($"COPY {Quoted(table)} ({list}) FROM STDIN (FORMAT BINARY)", ct);
        long count = 0;
        while (await rows.ReadAsync(ct))
        {
            await writer.StartRowAsync(ct);
            for (var i = 0; i < columns.Length; i++)
            {
                if (rows.IsDBNull(i)) await writer.WriteNullAsync(ct);
                else await WriteAsync(writer, types[i], rows.GetValue(i), table, columns[i].Name, ct);
            }
            count++;
        }
        await writer.CompleteAsync(ct);
        return count;
    }

    public static Task<bool> HasRowsAsync(DbConnection connection, string table, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT EXISTS (SELECT 1 FROM {Quoted(table)})", cancellationToken: ct));

    /// <summary>The identity's next value: one past the largest id copied (1 for an empty table).</summary>
    /// <param name="issued">The largest id the source ever issued (0: unknown); new ids start after it and after every copied one.</param>
    public static Task ContinueIdentityAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string column, long issued, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"SELECT setval(pg_get_serial_sequence(@table, @column), GREATEST(COALESCE((SELECT max({Quoted(column)}) FROM {Quoted(table)}), 0), @issued) + 1, false)",
            new { table, column, issued }, tx, cancellationToken: ct));

    /// <summary>Fresh statistics, so the planner does not take the copied tables for empty ones at the first send.</summary>
    public static async Task AnalyzeAsync(NpgsqlConnection connection, IEnumerable<string> tables, CancellationToken ct)
    {
        foreach (var table in tables)
            await connection.ExecuteAsync(new CommandDefinition($"ANALYZE {Quoted(table)}", cancellationToken: ct));
    }

    // SQLite hands back long, double, string or byte[]; the schema on PostgreSQL is bigint and text
    // (see Migrations/Postgres/0001), and a later column of another plain type still copies.
    private static NpgsqlDbType TypeOf(string table, Column column) => column.Type switch
    {
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "smallint" => NpgsqlDbType.Smallint,
        "text" => NpgsqlDbType.Text,
        "double precision" => NpgsqlDbType.Double,
        "boolean" => NpgsqlDbType.Boolean,
        "bytea" => NpgsqlDbType.Bytea,
        _ => throw new DatabaseCopyException($"The column {table}.{column.Name} is of type {column.Type}, which copy-database does not convert."),
    };

    private static async Task WriteAsync(NpgsqlBinaryImporter writer, NpgsqlDbType type, object value, string table, string column, CancellationToken ct)
    {
        try
        {
            switch (type)
            {
                // A blob in a text column (SQLite types values, not columns) has no text to copy: refused, not written as "System.Byte[]".
                case NpgsqlDbType.Text when value is byte[]: throw new InvalidCastException("a blob where text belongs");
                case NpgsqlDbType.Text: await writer.WriteAsync(value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture)!, type, ct); break;
                case NpgsqlDbType.Bigint: await writer.WriteAsync(value as long? ?? Convert.ToInt64(value, CultureInfo.InvariantCulture), type, ct); break;
                case NpgsqlDbType.Integer: await writer.WriteAsync(Convert.ToInt32(value, CultureInfo.InvariantCulture), type, ct); break;
                case NpgsqlDbType.Smallint: await writer.WriteAsync(Convert.ToInt16(value, CultureInfo.InvariantCulture), type, ct); break;
                case NpgsqlDbType.Double: await writer.WriteAsync(Convert.ToDouble(value, CultureInfo.InvariantCulture), type, ct); break;
                case NpgsqlDbType.Boolean: await writer.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0, type, ct); break;
                default: await writer.WriteAsync((byte[])value, type, ct); break;
            }
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new DatabaseCopyException($"A value in {table}.{column} does not fit its PostgreSQL column: {e.Message}", e);
        }
    }

    private static string Quoted(string identifier) => '"' + identifier.Replace("\"", "\"\"") + '"';
}
