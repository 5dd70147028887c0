using System.Collections.Concurrent;
using System.Globalization;
using MimeKit;
using MimeKit.Utils;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;
using Newsletter.Core.Options;
using Newsletter.Core.Ranking;
using Newsletter.Core.Security;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Makes each reader's copy of one digest. Everything shared (both bodies quoted-printable encoded
/// in sections, one per pool paper; the shared headers) is prepared once in the constructor. Per
/// reader only this is done: choose their papers (<see cref="DigestPool"/>), sign their links, and
/// assemble head, chosen sections and tail with those values. Nothing is rendered per reader.
/// </summary>
public sealed class DigestMessageFactory
{
    // Bounds the caches of openings and "why" lines: readers share few of them; the rest are made per reader.
    private const int MaxCached = 1_000;
    private static readonly EncodedValue[] Ranks = Enumerable.Range(0, DigestOptions.MostPapers + 1)
        .Select(i => EncodedValue.Of(i.ToString(CultureInfo.InvariantCulture))).ToArray();
    private static readonly EncodedValue NoWhy = EncodedValue.Of("");

    [ThreadStatic] private static Pick[]? t_picks;

    private readonly Digest _digest;
    private readonly DigestPool _pool;
    private readonly IReadOnlyList<Papers.Paper> _papers;
    private readonly string _domain;
    private readonly string _listName;
    private readonly PublicUrls _urls;
    private readonly SubscriberTokens _tokens;
    private readonly int _defaultMaxPapers;
    private readonly PreEncodedAlternative.Template _body;
    private readonly Header[] _shared;
    private readonly SignedLinks _links;
    private readonly ReplyAddresses? _replyTo;
    private readonly ConcurrentDictionary<string, EncodedValue> _whys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(int, int, int, int, bool), (EncodedValue Preheader, EncodedValue Lede, Header Subject)> _openings = new();

    public DigestMessageFactory(Digest digest, IReadOnlyList<Papers.Paper> pool, DigestPool chooser, MailboxAddress from, string listName,
        PublicUrls urls, SubscriberTokens tokens, int defaultMaxPapers, ReplyAddresses? replyTo = null)
    {
        _replyTo = replyTo is { Enabled: true } ? replyTo : null;
        _digest = digest;
        _papers = pool;
        _pool = chooser;
        _domain = from.Domain;
        _listName = listName;
        _urls = urls;
        _tokens = tokens;
        _defaultMaxPapers = defaultMaxPapers;
        _links = new SignedLinks(urls, tokens);
        _body = new PreEncodedAlternative.Template(
            SlottedText.Cut(digest.TextBody, digest.SlotMarker), SlottedText.Cut(digest.HtmlBody, digest.SlotMarker));
        // Encoded and folded once; each message gets copies of the finished raw values.
        var fromHeader = new Header(HeaderId.From, "");
        fromHeader.SetValue(FormatOptions.Default, System.Text.Encoding.UTF8, from.ToString(true));
        var edition = digest.Edition == DigestEdition.Weekly ? "weekly" : "daily";
        _shared =
        [
            fromHeader,
            new Header(HeaderId.MimeVersion, "1.0"),
            new Header("List-Id", $"{listName} <daily-papers.{from.Domain}>"),
            new Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            // Campaign:customer:type:sender, as Gmail's feedback loop reads it.
            new Header("Feedback-ID", $"{digest.Id}:{edition}:digest:daily-papers"),
            new Header("Precedence", "bulk"),
        ];
    }

    /// <summary>A digest made before readers chose: one body for all, every paper in it.</summary>
    public bool IsUniform => _body.PaperCount == 0;

    public string UnsubscribeUrl(long subscriberId) => _urls.Unsubscribe(_tokens.CreateUnsubscribe(subscriberId));

    /// <summary>
    /// The reader's copy, or null when nothing in the pool is for them (never an empty mail).
    /// Sets <see cref="DueDelivery.Papers"/> to the pool positions it holds.
    /// </summary>
    public MimeMessage? Create(DueDelivery reader)
    {
        var picks = t_picks ??= new Pick[DigestOptions.MostPapers];
        var taste = Taste(reader);
        var count = IsUniform ? 0 : _pool.Choose(taste, AsSpan(reader.AlreadySent), picks);
        if (!IsUniform && count == 0) return null;

        var personal = taste.Topics.Count > 0 || taste.MutedTopics.Count > 0 || taste.RequireCode || taste.Votes.Count >= DigestPool.MinVotes;
        var opening = Opening(picks, count, personal);
        var unsubscribe = UnsubscribeUrl(reader.SubscriberId);
        var mail = new EncodedValue[PreEncodedAlternative.Template.KindCount];
        mail[(int)SlotKind.Unsubscribe] = EncodedValue.Of(unsubscribe);
        mail[(int)SlotKind.Preferences] = _links.Preferences(reader.SubscriberId, reader.ConsentVersion);
        mail[(int)SlotKind.Preheader] = opening.Preheader;
        mail[(int)SlotKind.Lede] = opening.Lede;

        var papers = new PaperValues[count];
        var positions = new System.Text.StringBuilder(count * 4);
        for (var i = 0; i < count; i++)
        {
            var (index, why) = picks[i];
            var id = _papers[index].Id;
            var values = new EncodedValue[PreEncodedAlternative.Template.KindCount];
            values[(int)SlotKind.Rank] = Ranks[i + 1];
            values[(int)SlotKind.Why] = why is null ? NoWhy : Why(why);
            values[(int)SlotKind.More] = _links.Feedback(reader.SubscriberId, reader.ConsentVersion, id, +1);
            values[(int)SlotKind.Less] = _links.Feedback(reader.SubscriberId, reader.ConsentVersion, id, -1);
            papers[i] = new PaperValues(index, values);
            if (i > 0) positions.Append(',');
            positions.Append(index + 1);
        }
        reader.Papers = IsUniform ? null : positions.ToString();

        var headers = new List<Header>(_shared.Length + 7);
        foreach (var header in _shared) headers.Add(header.Clone());
        headers.Add(opening.Subject.Clone());
        headers.Add(new Header(HeaderId.To, reader.Email));
        headers.Add(new Header(HeaderId.Date, DateUtils.FormatDate(DateTimeOffset.UtcNow)));
        headers.Add(new Header(HeaderId.MessageId, DigestMessageIds.Of(_digest.Date, _digest.Id, reader.SubscriberId, _domain)));
        headers.Add(new Header("List-Unsubscribe", $"<{unsubscribe}>"));
        if (_replyTo is not null) headers.Add(new Header(HeaderId.ReplyTo, _replyTo.HeaderValue(reader.SubscriberId, _digest.Id)!));
        return new MimeMessage(headers) { Body = _body.Fill(mail, papers) };
    }

    private ReaderTaste Taste(DueDelivery reader) => new(
        StoredTopics.Parse(reader.Topics), StoredTopics.Parse(reader.MutedTopics), reader.RequireCode, reader.MaxPapers ?? _defaultMaxPapers, reader.Votes);

    private static ReadOnlySpan<int> AsSpan(IReadOnlyList<int> list) => list is int[] array ? array : list.ToArray();

    // Readers share the same first papers and count far more often than not: the subject, the
    // preheader and the lede are made once per such opening.
    private (EncodedValue Preheader, EncodedValue Lede, Header Subject) Opening(Pick[] picks, int count, bool personal)
    {
        var key = (count > 0 ? picks[0].Index : -1, count > 1 ? picks[1].Index : -1, count > 2 ? picks[2].Index : -1, count, personal);
        if (_openings.TryGetValue(key, out var cached)) return cached;

        var shown = IsUniform ? _papers.Count : count;
        var titles = IsUniform ? _papers.Take(3).Select(p => p.Title).ToList() : picks.Take(Math.Min(count, 3)).Select(p => _papers[p.Index].Title).ToList();
        var weekly = _digest.Edition == DigestEdition.Weekly;
        var subject = IsUniform ? _digest.Subject : DigestRenderer.Subject(_listName, _digest.Date, weekly, titles[0], count);
        var made = (EncodedValue.Of(DigestWording.Preheader(titles, shown)), EncodedValue.Of(DigestWording.Lede(shown, weekly, personal)),
            new Header(System.Text.Encoding.UTF8, HeaderId.Subject, subject));
        if (_openings.Count < MaxCached) _openings.TryAdd(key, made);
        return made;
    }

    private EncodedValue Why(string why)
    {
        if (_whys.TryGetValue(why, out var cached)) return cached;
        var made = EncodedValue.Of(" · " + why);
        if (_whys.Count < MaxCached) _whys.TryAdd(why, made);
        return made;
    }
}
