using Dapper;

namespace Newsletter.Core.Digests;

/// <summary>An erased reader's ledger rows stay, tied to their anonymous tombstone, so every digest's counts stay as they were.</summary>
public sealed partial class DeliveryLedger
{
    /// <summary>Why a row still waiting for an erased reader was never sent.</summary>
    public const string ErasedReason = "the reader erased their data";

    // A relay's refusal often quotes the address, so no row keeps its words; a row still waiting
    // is skipped, as for any reader who left mid-send (a later result for it changes nothing).
    private const string ForgetReader = """
        UPDATE deliveries
        SET last_error = CASE WHEN status = 'pending' THEN @reason ELSE NULL END,
            status = CASE WHEN status = 'pending' THEN 'skipped' ELSE status END
        WHERE subscriber_id = @subscriberId
        """;

    /// <summary>Part of an erasure: in the caller's transaction, which also writes the tombstone.</summary>
    public Task ForgetReaderAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long subscriberId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(ForgetReader, new { subscriberId, reason = ErasedReason }, tx, cancellationToken: ct));
}
