using System.Data.Common;
using Dapper;

namespace Newsletter.Core.Digests;

/// <summary>Readers whose servers deferred the digest: pending again, due at their next round.</summary>
public sealed partial class DeliveryLedger
{
    // A deferred reader stays pending, unclaimed, until due_at; the attempts and the server's words are kept.
    private const string Defer = """
        UPDATE deliveries
        SET due_at = @DueAt, deferrals = deferrals + 1, attempts = attempts + @Attempts, last_error = @Error, claimed_by = NULL
        WHERE digest_id = @digestId AND subscriber_id = @SubscriberId AND status = 'pending'
        """;

    // Deferrals are few (a greylisting domain's readers, now and then): the group's others keep the fast path.
    private static List<DeliveryResult> Deferred(IReadOnlyList<DeliveryResult> results, out IReadOnlyList<DeliveryResult> others)
    {
        others = results;
        var deferred = new List<DeliveryResult>();
        foreach (var result in results)
        {
            if (result.DueAt is not null) deferred.Add(result);
        }
        if (deferred.Count > 0) others = results.Where(r => r.DueAt is null).ToList();
        return deferred;
    }

    private static Task DeferAsync(DbConnection connection, DbTransaction? tx, long digestId, List<DeliveryResult> deferred, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(Defer,
            deferred.Select(r => new { digestId, r.SubscriberId, DueAt = r.DueAt!.Value, r.Attempts, r.Error }), tx, cancellationToken: ct));
}
