using System.Globalization;
using MailKit;
using MailKit.Search;
using Newsletter.Core.Data;

namespace Newsletter.Core.Bounces;

/// <summary>
/// How the mailbox remembers which messages were handled, so that none is handled twice, also
/// after a restart: a keyword on the message where the server keeps keywords, else \Seen plus the
/// last handled UID kept in the settings table.
/// </summary>
internal abstract class HandledMarks
{
    public const string Keyword = "$NewsletterHandled";

    public abstract Task<IList<UniqueId>> FindUnhandledAsync(IMailFolder folder, CancellationToken ct);

    public abstract Task MarkAsync(IMailFolder folder, UniqueId uid, CancellationToken ct);

    /// <summary>A message that stays unhandled (its handling failed); it is tried again on the next run.</summary>
    public virtual void Failed(UniqueId uid) { }

    /// <summary>The marks for a folder opened read-write; <paramref name="mailbox"/> names it in the settings table.</summary>
    public static async Task<HandledMarks> ForAsync(IMailFolder folder, SettingsStore settings, string mailbox, CancellationToken ct)
    {
        if (folder.PermanentFlags.HasFlag(MessageFlags.UserDefined) || folder.PermanentKeywords.Contains(Keyword))
            return new KeywordMarks();
        var key = "bounces.imap.last-handled " + mailbox;
        var stored = LastHandled.Parse(await settings.GetAsync(key, ct));
        // A new UIDVALIDITY means the folder was recreated: the stored UID says nothing about it.
        return new LastUidMarks(settings, key, stored?.Validity == folder.UidValidity ? stored.Uid : null);
    }

    private sealed class KeywordMarks : HandledMarks
    {
        public override Task<IList<UniqueId>> FindUnhandledAsync(IMailFolder folder, CancellationToken ct) =>
            folder.SearchAsync(SearchQuery.NotKeyword(Keyword), ct);

        public override Task MarkAsync(IMailFolder folder, UniqueId uid, CancellationToken ct) =>
            folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Keywords = { Keyword }, Silent = true }, ct);
    }

    /// <summary>For servers that keep no keywords: everything above the last handled UID, or unseen mail at first.</summary>
    private sealed class LastUidMarks(SettingsStore settings, string key, uint? lastHandled) : HandledMarks
    {
        // The stored UID only moves while every earlier message of the run was handled, so a
        // failed one is found again (the ones after it are handled again, which counts once).
        private bool _gap;

        public override async Task<IList<UniqueId>> FindUnhandledAsync(IMailFolder folder, CancellationToken ct)
        {
            if (lastHandled is not { } last) return await folder.SearchAsync(SearchQuery.NotSeen, ct);
            if (last == uint.MaxValue) return [];
            // "UID n:*" always includes the newest message, even below n.
            var above = await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(folder.UidValidity, last + 1, uint.MaxValue)), ct);
            return above.Where(u => u.Id > last).ToList();
        }

        public override async Task MarkAsync(IMailFolder folder, UniqueId uid, CancellationToken ct)
        {
            await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true }, ct);
            if (!_gap) await settings.SetAsync(key, new LastHandled(folder.UidValidity, uid.Id).ToString(), ct);
        }

        public override void Failed(UniqueId uid) => _gap = true;
    }

    private sealed record LastHandled(uint Validity, uint Uid)
    {
        public override string ToString() => $"{Validity}/{Uid}";

        public static LastHandled? Parse(string? text) =>
            text?.Split('/') is [var validity, var uid]
            && uint.TryParse(validity, CultureInfo.InvariantCulture, out var v)
            && uint.TryParse(uid, CultureInfo.InvariantCulture, out var u)
                ? new LastHandled(v, u)
                : null;
    }
}
