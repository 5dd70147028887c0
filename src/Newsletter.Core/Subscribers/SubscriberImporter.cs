using Microsoft.Data.Sqlite;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

public sealed record ImportResult(int Imported, int Skipped);

/// <summary>The CSV has no header row with an "email" column.</summary>
public sealed class ImportFormatException(string message) : Exception(message);

/// <summary>
/// Imports subscribers from CSV (a header row naming an "email" column). New valid addresses become
/// active with "import" as their consent source; invalid rows are skipped and counted; known
/// addresses are left exactly as they are, so an import never brings back someone who left.
/// </summary>
public sealed class SubscriberImporter(Db db, TimeProvider clock)
{
    private const int RowsPerTransaction = 20_000;

    private const string InsertNew = """
        INSERT OR IGNORE INTO subscribers (email, status, created_at, updated_at, subscribed_at, subscribe_source,
                                           subscribe_ip, subscribe_user_agent, confirmed_at)
        VALUES (@email, 'active', @now, @now, @now, 'import', @ip, @agent, @now)
        """;

    private const string InsertEvent = """
        INSERT INTO consent_events (subscriber_id, event, at, source, ip, user_agent)
        VALUES (last_insert_rowid(), 'imported', @now, 'import', @ip, @agent)
        """;

    public async Task<ImportResult> ImportAsync(TextReader csv, ConsentEvidence evidence, CancellationToken ct)
    {
        var header = await csv.ReadLineAsync(ct) ?? throw new ImportFormatException("The CSV is empty; its first row must name an 'email' column.");
        var column = (Csv.Split(header.TrimStart('\uFEFF')) ?? []).FindIndex(h => h.Trim().Equals("email", StringComparison.OrdinalIgnoreCase));
        if (column < 0) throw new ImportFormatException("The CSV's first row must name an 'email' column.");

        await using var connection = await db.OpenAsync(ct);
        var now = DapperSetup.Format(clock.GetUtcNow());
        int imported = 0, skipped = 0, inTransaction = 0;
        var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using var insert = Command(connection, tx, InsertNew, now, evidence);
        var email = insert.Parameters.Add("@email", SqliteType.Text);
        await using var insertEvent = Command(connection, tx, InsertEvent, now, evidence);
        try
        {
            while (await csv.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0) continue;
                var fields = Csv.Split(line);
                var address = fields is not null && column < fields.Count ? EmailAddress.Normalize(fields[column], out _) : null;
                if (address is null)
                {
                    skipped++;
                    continue;
                }
                email.Value = address;
                if (await insert.ExecuteNonQueryAsync(ct) == 1)
                {
                    await insertEvent.ExecuteNonQueryAsync(ct);
                    imported++;
                }
                else
                {
                    skipped++;
                }
                if (++inTransaction == RowsPerTransaction)
                {
                    await tx.CommitAsync(ct);
                    tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
                    insert.Transaction = insertEvent.Transaction = tx;
                    inTransaction = 0;
                }
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            await tx.DisposeAsync();
        }
        return new ImportResult(imported, skipped);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql, string now, ConsentEvidence evidence)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.Parameters.AddWithValue("@now", now);
        command.Parameters.AddWithValue("@ip", (object?)evidence.Ip ?? DBNull.Value);
        command.Parameters.AddWithValue("@agent", (object?)evidence.UserAgent ?? DBNull.Value);
        return command;
    }
}

/// <summary>RFC 4180 fields of one line: commas, double-quoted fields, "" for a quote.</summary>
public static class Csv
{
    /// <returns>Null when a quoted field does not close on the line: a line break inside a field
    /// is never part of an address, so such a row is refused rather than guessed at.</returns>
    public static List<string>? Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        if (quoted) return null;
        fields.Add(field.ToString());
        return fields;
    }
}
