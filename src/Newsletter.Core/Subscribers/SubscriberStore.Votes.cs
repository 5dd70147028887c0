using Dapper;

namespace Newsletter.Core.Subscribers;

/// <summary>A reader's "More like this" (+1) or "Less like this" (-1) on one paper; the latest one counts.</summary>
public sealed class ReaderVote
{
    public string PaperId { get; init; } = "";
    public string Title { get; init; } = "";
    public int Vote { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>The votes from the mail: the only writer of <c>votes</c>.</summary>
public sealed partial class SubscriberStore
{
    // Recorded only while the link's subscription is the reader's current one and the paper is known,
    // checked in the same statement as the write.
    private const string UpsertVote = """
        INSERT INTO votes (subscriber_id, paper_id, vote, at)
        SELECT @id, @paperId, @vote, @now
        WHERE EXISTS (SELECT 1 FROM subscribers WHERE id = @id AND consent_version = @version AND status IN ('pending', 'active'))
          AND EXISTS (SELECT 1 FROM papers WHERE id = @paperId)
        ON CONFLICT (subscriber_id, paper_id) DO UPDATE SET vote = excluded.vote, at = excluded.at
        """;

    private const string VotesOf = """
        SELECT v.paper_id, p.title, v.vote, v.at FROM votes v JOIN papers p ON p.id = v.paper_id
        WHERE v.subscriber_id = @id ORDER BY v.at DESC, v.paper_id
        """;

    private const string CountVotesOf = "SELECT count(*) FROM votes WHERE subscriber_id = @id";

    private const string DeleteVote = """
        DELETE FROM votes WHERE subscriber_id = @id AND paper_id = @paperId
          AND EXISTS (SELECT 1 FROM subscribers WHERE id = @id AND consent_version = @version AND status IN ('pending', 'active'))
        """;

    private const string TitleOf = "SELECT title FROM papers WHERE id = @paperId";

    /// <summary>
    /// Records the vote, replacing an earlier one on the same paper; false (nothing stored) when the
    /// paper is unknown or the subscription <paramref name="consentVersion"/> is no longer the reader's.
    /// </summary>
    public async Task<bool> RecordVoteAsync(long subscriberId, long consentVersion, string paperId, int vote, CancellationToken ct = default)
    {
        if (vote is not (1 or -1)) throw new ArgumentOutOfRangeException(nameof(vote), vote, "A vote is +1 or -1.");
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(UpsertVote,
            new { id = subscriberId, version = consentVersion, paperId, vote, now = clock.GetUtcNow() }, cancellationToken: ct)) == 1;
    }

    /// <summary>The reader's votes with the papers' titles, newest first.</summary>
    public async Task<IReadOnlyList<ReaderVote>> VotesAsync(long subscriberId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<ReaderVote>(new CommandDefinition(VotesOf, new { id = subscriberId }, cancellationToken: ct))).AsList();
    }

    public async Task<int> CountVotesAsync(long subscriberId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountVotesOf, new { id = subscriberId }, cancellationToken: ct));
    }

    /// <summary>Takes a vote back; false when there was none or the subscription is no longer the reader's.</summary>
    public async Task<bool> RemoveVoteAsync(long subscriberId, long consentVersion, string paperId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(DeleteVote,
            new { id = subscriberId, version = consentVersion, paperId }, cancellationToken: ct)) == 1;
    }

    /// <summary>The title of a known paper, for the page behind a feedback link; null when unknown.</summary>
    public async Task<string?> PaperTitleAsync(string paperId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(TitleOf, new { paperId }, cancellationToken: ct));
    }
}
