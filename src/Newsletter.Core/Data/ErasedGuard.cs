namespace Newsletter.Core.Data;

/// <summary>
/// The condition that keeps a row about a reader from being written once they are erased (a bounce,
/// a reply handled meanwhile). On PostgreSQL the subscriber row is locked for share: a plain EXISTS
/// reads the snapshot before an erasure that is committing, and would let the row in after it;
/// locked, it waits for the erasure and sees the tombstone. SQLite writes one at a time anyway.
/// </summary>
public static class ErasedGuard
{
    private const string Sqlite = "EXISTS (SELECT 1 FROM subscribers WHERE id = {0} AND status <> 'erased')";
    private const string Postgres = "EXISTS (SELECT 1 FROM subscribers WHERE id = {0} AND status <> 'erased' FOR SHARE)";

    /// <summary>The condition for the subscriber named by the parameter <paramref name="idParameter"/> (e.g. "@id").</summary>
    public static string NotErased(this Db db, string idParameter) => string.Format(
        System.Globalization.CultureInfo.InvariantCulture, db.IsPostgres ? Postgres : Sqlite, idParameter);
}
