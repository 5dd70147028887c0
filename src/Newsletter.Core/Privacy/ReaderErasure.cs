using Newsletter.Core.Bounces;
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
    SubscriberStore subscribers, DeliveryLedger ledger, BounceStore bounces, AddressHashes hashes, UnsubscribeWatch unsubscribes)
{
    /// <summary>False when the reader is not (or no longer) there.</summary>
    public async Task<bool> EraseAsync(Subscriber reader, CancellationToken ct)
    {
        // The tombstone comes last: until it is written the reader is still found, so an erasure cut
        // short can be asked for again, and the parts already done are done again harmlessly.
        await ledger.ForgetReaderAsync(reader.Id, ct);
        await bounces.DeleteForAsync(reader.Id, ct);
        var erased = await subscribers.EraseAsync(reader.Id, hashes.Of(reader.Email), ct);
        // A send under way skips them from now on.
        if (erased) unsubscribes.Left(reader.Id);
        return erased;
    }

    /// <summary>The admin's erasure by address; false when no subscriber has it.</summary>
    public async Task<bool> EraseAsync(string email, CancellationToken ct)
    {
        var address = EmailAddress.Normalize(email, out _);
        return address is not null && await subscribers.FindByEmailAsync(address, ct) is { Status: not SubscriberStatus.Erased } reader
            && await EraseAsync(reader, ct);
    }
}
