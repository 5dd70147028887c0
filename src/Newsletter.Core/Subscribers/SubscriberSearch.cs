using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// The console's read side of <c>subscribers</c>: search by part of an address and export. Pages are keyset on id, so the thousandth page costs what the first does.
/// </summary>
public sealed class SubscriberSearch(Db db)
{
    /// <summary>The trigram index needs three characters; a shorter part is looked for by reading rows.</summary>
    public const int IndexedLength = 3;

    private const string RowColumns = "s.id, s.email, s.status, s.consent_version, s.created_at, s.confirmed_at, s.unsubscribed_at";

    // The index yields candidate ids in order from @after on, so LIMIT stops the search early. It
    // reads the part's % and _ as wildcards (it knows no ESCAPE), so instr keeps only true matches.
    private const string ByIndexedPart = $"""
        SELECT {RowColumns} FROM subscribers_search f JOIN subscribers s ON s.id = f.rowid
        WHERE f.email LIKE '%' || @part || '%' AND instr(lower(s.email), lower(@part)) > 0
          AND f.rowid > @after AND s.status <> 'erased' AND (@status IS NULL OR s.status = @status)
        ORDER BY f.rowid LIMIT @limit
        """;

    // One or two characters match most addresses, so a page fills after a short read of the table.
    private const string ByShortPart = $"""
        SELECT {RowColumns} FROM subscribers s
        WHERE instr(lower(s.email), lower(@part)) > 0 AND s.id > @after AND s.status <> 'erased' AND (@status IS NULL OR s.status = @status)
        ORDER BY s.id LIMIT @limit
        """;

    // PostgreSQL: the trigram index over lower(email) in byte order answers a LIKE on that same
    // expression (see Postgres/0006); the part's % and _ are escaped, so no second check is needed.
    private const string ByPartPostgres = $"""
        SELECT {RowColumns} FROM subscribers s
        WHERE lower(s.email COLLATE "C") LIKE @pattern ESCAPE '\' AND s.id > @after AND s.status <> 'erased' AND (@status IS NULL OR s.status = @status)
        ORDER BY s.id LIMIT @limit
        """;

    private const string ByStatusOnly = $"""
        SELECT {RowColumns} FROM subscribers s
        WHERE s.status <> 'erased' AND (@status IS NULL OR s.status = @status) AND s.id > @after
        ORDER BY s.id LIMIT @limit
        """;

    /// <summary>Up to <paramref name="limit"/> subscribers after id <paramref name="after"/> whose address holds <paramref name="part"/>.</summary>
    public async Task<IReadOnlyList<Subscriber>> FindAsync(string? part, SubscriberStatus? status, long after, int limit, CancellationToken ct)
    {
        part = part?.Trim();
        var (sql, args) = part switch
        {
            null or "" => (ByStatusOnly, (object)new { status = status?.ToStored(), after, limit }),
            _ when db.IsPostgres => (ByPartPostgres, new { pattern = ContainsPattern(part), status = status?.ToStored(), after, limit }),
            { Length: >= IndexedLength } => (ByIndexedPart, new { part, status = status?.ToStored(), after, limit }),
            _ => (ByShortPart, new { part, status = status?.ToStored(), after, limit }),
        };
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Subscriber>(new CommandDefinition(sql, args, cancellationToken: ct))).AsList();
    }

    /// <summary>A LIKE pattern for "holds <paramref name="part"/>", its wildcards taken literally.</summary>
    private static string ContainsPattern(string part) =>
        "%" + part.ToLowerInvariant().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";

    /// <summary>Every subscriber of a status, in id order, read page by page so a million rows never sit in memory.</summary>
    public async IAsyncEnumerable<Subscriber> AllAsync(SubscriberStatus? status, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int page = 1000;
        long after = 0;
        while (true)
        {
            var rows = await FindAsync(null, status, after, page, ct);
            foreach (var row in rows) yield return row;
            if (rows.Count < page) yield break;
            after = rows[^1].Id;
        }
    }
}
