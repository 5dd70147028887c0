using System.Globalization;
using Dapper;
using Newsletter.Core.Data;
using Newsletter.Core.Digests;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Privacy;

/// <summary>The subscriber row's own columns: when and how they joined, confirmed, left; from where.</summary>
public sealed class SubscriptionRecord
{
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset SubscribedAt { get; init; }
    public string SubscribeSource { get; init; } = "";
    public string? SubscribeIp { get; init; }
    public string? SubscribeUserAgent { get; init; }
    public DateTimeOffset? ConfirmationRequestedAt { get; init; }
    public DateTimeOffset? ConfirmationSentAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public string? ConfirmIp { get; init; }
    public string? ConfirmUserAgent { get; init; }
    public DateTimeOffset? UnsubscribedAt { get; init; }
    public DateTimeOffset? BouncedAt { get; init; }
    public string? BounceReason { get; init; }
    public long ConsentVersion { get; init; }
}

public sealed record ExportedVote(string Paper, int Vote, DateTimeOffset At);

public sealed record ExportedConsentEvent(string Event, DateTimeOffset Time, string? Ip, string? UserAgent, string? Source);

/// <summary>One digest meant for the reader: its day and edition, what became of it, the papers it held.</summary>
public sealed record ExportedDigest(DateOnly Date, string Edition, string Status, DateTimeOffset? FinishedAt, IReadOnlyList<string> Papers);

public sealed record ExportedBounce(string Kind, string? StatusCode, string? Diagnostic, DateTimeOffset ReceivedAt, long? DigestId);

/// <summary>A reply to a digest that was handled: its Message-ID (kept so it is applied once) and when.</summary>
public sealed record ExportedReply(string MessageId, DateTimeOffset ReceivedAt);

/// <summary>Everything held about one reader, besides the settings their preferences link shows.</summary>
public sealed record ReaderData(
    SubscriptionRecord Subscription, IReadOnlyList<ExportedVote> Votes, IReadOnlyList<ExportedConsentEvent> ConsentEvents,
    IReadOnlyList<ExportedDigest> Digests, IReadOnlyList<ExportedBounce> Bounces, IReadOnlyList<DateTimeOffset> ConfirmationMails,
    IReadOnlyList<ExportedReply> Replies, DateTimeOffset? LastReplyAnswerAt);

/// <summary>"Download my data": a read of every table that holds something about the reader; writes nothing.</summary>
public sealed class ReaderExport(Db db)
{
    private const string Subscription = """
        SELECT created_at, updated_at, subscribed_at, subscribe_source, subscribe_ip, subscribe_user_agent,
               confirmation_requested_at, confirmation_sent_at, confirmed_at, confirm_ip, confirm_user_agent,
               unsubscribed_at, bounced_at, bounce_reason, consent_version
        FROM subscribers WHERE id = @id
        """;

    private const string Votes = "SELECT paper_id, vote, at FROM votes WHERE subscriber_id = @id ORDER BY at, paper_id";

    private const string Events = "SELECT event, at, ip, user_agent, source FROM consent_events WHERE subscriber_id = @id ORDER BY id";

    private const string Ledger = """
        SELECT l.digest_id, d.date, d.edition, l.status, l.finished_at, l.papers
        FROM deliveries l JOIN digests d ON d.id = l.digest_id
        WHERE l.subscriber_id = @id ORDER BY l.digest_id
        """;

    // The ledger keeps pool positions ("1,4,9"); the pools of the reader's digests name the papers.
    private const string Pools = """
        SELECT p.digest_id, p.position, p.paper_id
        FROM digest_papers p JOIN deliveries l ON l.digest_id = p.digest_id
        WHERE l.subscriber_id = @id
        """;

    private const string Bounces = """
        SELECT kind, status_code, diagnostic, received_at, digest_id FROM bounces WHERE subscriber_id = @id ORDER BY id
        """;

    private const string ConfirmationMails = "SELECT sent_at FROM confirmation_mails WHERE subscriber_id = @id ORDER BY sent_at";

    private const string Replies = "SELECT reply_id, received_at FROM replies WHERE subscriber_id = @id ORDER BY received_at, reply_id";

    private const string LastReplyAnswer = "SELECT answered_at FROM reply_answers WHERE subscriber_id = @id";

    public async Task<ReaderData?> OfAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var args = new { id };
        var subscription = await connection.QuerySingleOrDefaultAsync<SubscriptionRecord>(new CommandDefinition(Subscription, args, cancellationToken: ct));
        if (subscription is null) return null;
        var votes = await connection.QueryAsync<VoteRow>(new CommandDefinition(Votes, args, cancellationToken: ct));
        var events = await connection.QueryAsync<EventRow>(new CommandDefinition(Events, args, cancellationToken: ct));
        var ledger = await connection.QueryAsync<LedgerRow>(new CommandDefinition(Ledger, args, cancellationToken: ct));
        var pools = (await connection.QueryAsync<(long DigestId, long Position, string PaperId)>(new CommandDefinition(Pools, args, cancellationToken: ct)))
            .GroupBy(p => p.DigestId).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Position).ToDictionary(p => p.Position, p => p.PaperId));
        var bounces = await connection.QueryAsync<BounceRow>(new CommandDefinition(Bounces, args, cancellationToken: ct));
        var mails = await connection.QueryAsync<DateTimeOffset>(new CommandDefinition(ConfirmationMails, args, cancellationToken: ct));
        var replies = await connection.QueryAsync<ReplyRow>(new CommandDefinition(Replies, args, cancellationToken: ct));
        var answered = await connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(new CommandDefinition(LastReplyAnswer, args, cancellationToken: ct));

        return new ReaderData(
            subscription,
            [.. votes.Select(v => new ExportedVote(v.PaperId, (int)v.Vote, v.At))],
            [.. events.Select(e => new ExportedConsentEvent(e.Event, e.At, e.Ip, e.UserAgent, e.Source))],
            [.. ledger.Select(l => new ExportedDigest(l.Date, l.Edition, l.Status, l.FinishedAt, PapersOf(l.Status, l.Papers, pools.GetValueOrDefault(l.DigestId) ?? NoPool)))],
            [.. bounces.Select(b => new ExportedBounce(b.Kind, b.StatusCode, b.Diagnostic, b.ReceivedAt, b.DigestId))],
            [.. mails],
            [.. replies.Select(r => new ExportedReply(r.ReplyId, r.ReceivedAt))],
            answered);
    }

    private static readonly Dictionary<long, string> NoPool = new();

    // No positions on a sent row: it was made before readers chose, and the whole digest went to everyone.
    private static string[] PapersOf(string status, string? positions, Dictionary<long, string> pool) => positions is null
        ? status == DeliveryStatus.Sent.ToStored() ? [.. pool.Values] : []
        : [.. positions.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var at) ? pool.GetValueOrDefault(at) : null)
            .OfType<string>()];

    private sealed class VoteRow
    {
        public string PaperId { get; init; } = "";
        public long Vote { get; init; }
        public DateTimeOffset At { get; init; }
    }

    private sealed class EventRow
    {
        public string Event { get; init; } = "";
        public DateTimeOffset At { get; init; }
        public string? Ip { get; init; }
        public string? UserAgent { get; init; }
        public string? Source { get; init; }
    }

    private sealed class LedgerRow
    {
        public long DigestId { get; init; }
        public DateOnly Date { get; init; }
        public string Edition { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset? FinishedAt { get; init; }
        public string? Papers { get; init; }
    }

    private sealed class ReplyRow
    {
        public string ReplyId { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
    }

    private sealed class BounceRow
    {
        public string Kind { get; init; } = "";
        public string? StatusCode { get; init; }
        public string? Diagnostic { get; init; }
        public DateTimeOffset ReceivedAt { get; init; }
        public long? DigestId { get; init; }
    }
}
