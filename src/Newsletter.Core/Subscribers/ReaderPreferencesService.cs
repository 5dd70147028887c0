using Microsoft.Extensions.Options;
using Newsletter.Core.Options;
using Newsletter.Core.Security;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// Everything a reader sees and changes through their preferences link, with <see cref="MaxPapers"/>
/// the number of papers they get (theirs, or the service's default).
/// </summary>
public sealed record ReaderView(Subscriber Reader, ReaderPreferences Preferences, int MaxPapers, IReadOnlyList<ReaderVote> Votes, string Token);

public readonly record struct ReaderViewResult(ReaderLinkOutcome Outcome, ReaderView? View = null);

/// <summary>Preferences without an account: the signed link is the reader's only credential.</summary>
public sealed class ReaderPreferencesService(SubscriberStore store, ReaderLinks links, IOptions<DigestOptions> digest)
{
    /// <summary>Reads the reader's settings and votes; changes nothing.</summary>
    public async Task<ReaderViewResult> OpenAsync(string? token, CancellationToken ct = default)
    {
        var (outcome, reader, _) = await links.ResolveAsync(token, TokenPurpose.Preferences, ct);
        if (outcome != ReaderLinkOutcome.Valid) return new(outcome);
        var preferences = await store.PreferencesAsync(reader!.Id, ct);
        return preferences is null ? new(ReaderLinkOutcome.Invalid) : new(outcome, await ViewAsync(reader, preferences, token!, ct));
    }

    /// <summary>Stores the checked changes (all of them or, when the link is not valid, none) and returns what is now stored.</summary>
    public async Task<ReaderViewResult> ChangeAsync(string? token, PreferenceChanges changes, CancellationToken ct = default)
    {
        var (outcome, reader, claims) = await links.ResolveAsync(token, TokenPurpose.Preferences, ct);
        if (outcome != ReaderLinkOutcome.Valid) return new(outcome);
        var saved = await store.ChangePreferencesAsync(reader!.Id, claims.ConsentVersion, changes, ct);
        if (saved is null) return new(await links.RecheckAsync(reader.Id, claims.ConsentVersion, ct));
        return new(outcome, await ViewAsync(reader, saved, token!, ct));
    }

    /// <summary>Takes back the reader's vote on one paper (nothing happens if there was none).</summary>
    public async Task<ReaderViewResult> RemoveVoteAsync(string? token, string paperId, CancellationToken ct = default)
    {
        var (outcome, reader, claims) = await links.ResolveAsync(token, TokenPurpose.Preferences, ct);
        if (outcome != ReaderLinkOutcome.Valid) return new(outcome);
        await store.RemoveVoteAsync(reader!.Id, claims.ConsentVersion, paperId, ct);
        return await OpenAsync(token, ct);
    }

    /// <summary>The reader's settings and votes as their preferences link shows them (for their data export); null if they are gone.</summary>
    public async Task<ReaderView?> ViewAsync(Subscriber reader, string token, CancellationToken ct = default) =>
        await store.PreferencesAsync(reader.Id, ct) is { } preferences ? await ViewAsync(reader, preferences, token, ct) : null;

    private async Task<ReaderView> ViewAsync(Subscriber reader, ReaderPreferences preferences, string token, CancellationToken ct) =>
        new(reader, preferences, preferences.MaxPapers ?? digest.Value.MaxPapers, await store.VotesAsync(reader.Id, ct), token);
}
