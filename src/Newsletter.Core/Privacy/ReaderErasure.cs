using Newsletter.Core.Bounces;
using Newsletter.Core.Data;
using Newsletter.Core.Digests;
using Newsletter.Core.Security;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Privacy;

/// <summary>
/// "Delete me": the reader's address, settings, votes, consent history, returned mail and IPs go; their
/// ledger rows stay with an anonymous tombstone (past digests' counts stay right); a keyed hash of the
/// address is kept so an import never brings them back. Every link they hold then finds no one.
/// </summary>
public sealed class ReaderErasure(
    Db db, SubscriberStore subscribers, DeliveryLedger ledger, BounceStore bounces, AddressHashes hashes, UnsubscribeWatch unsubscribes)
{
    /// <summary>False when the reader is not (or no longer) there.</summary>
    public async Task<bool> EraseAsync(Subscriber reader, CancellationToken ct)
    {
        // One write transaction: all of it or nothing (a crash leaves the reader as they were, and the
        // request can be made again), and a bounce or reply recorded meanwhile waits for it and then
        // finds a tombstone, which takes nothing new.
        // On SQLite every connection zeroes what it frees (Db: secure_delete), so the address does not
        // stay in the file's free space either.
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(connection, ct);
        await ledger.ForgetReaderAsync(connection, tx, reader.Id, ct);
        await bounces.DeleteForAsync(connection, tx, reader.Id, ct);
        if (!await subscribers.EraseAsync(connection, tx, reader.Id, hashes.Of(reader.Email), ct)) return false;
        await tx.CommitAsync(ct);
        // A send under way skips them from now on.
        unsubscribes.Left(reader.Id);
        return true;
    }

    /// <summary>The admin's erasure by address; false when no subscriber has it.</summary>
    public async Task<bool> EraseAsync(string email, CancellationToken ct)
    {
        var address = EmailAddress.Normalize(email, out _);
        return address is not null && await subscribers.FindByEmailAsync(address, ct) is { Status: not SubscriberStatus.Erased } reader
            && await EraseAsync(reader, ct);
    }
}
