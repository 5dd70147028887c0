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
    private static readonly EncodedValue[] Ranks = Enumerable.Range(0, DigestOptions.MostPapers + DigestOptions.MostRising + 1)
        .Select(i => EncodedValue.Of(i.ToString(CultureInfo.InvariantCulture))).ToArray();
    private static readonly EncodedValue NoWhy = EncodedValue.Of("");

    // The Rising heading's section holds no personal value.
    private static readonly EncodedValue[] NoValues = new EncodedValue[PreEncodedAlternative.Template.KindCount];

    [ThreadStatic] private static Pick[]? t_picks;
    [ThreadStatic] private static Pick[]? t_rising;

    private readonly Digest _digest;
    private readonly DigestPool _pool;
    private readonly IReadOnlyList<Papers.Paper> _papers;
    private readonly string _domain;
    private readonly string _listName;
    private readonly PublicUrls _urls;
    private readonly SubscriberTokens _tokens;
    private readonly int _defaultMaxPapers;
    private readonly int _maxRising;
    private readonly int _ownCount;
    private readonly PreEncodedAlternative.Template _body;
    private readonly Header[] _shared;
    private readonly SignedLinks _links;
    private readonly ReplyAddresses? _replyTo;
    private readonly ConcurrentDictionary<string, EncodedValue> _whys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(int, int, int, int, bool), (EncodedValue Preheader, EncodedValue Lede, Header Subject)> _openings = new();

    /// <param name="maxRising">Rising papers per mail (the chooser's last papers are the candidates); 0: none.</param>
    public DigestMessageFactory(Digest digest, IReadOnlyList<Papers.Paper> pool, DigestPool chooser, MailboxAddress from, string listName,
        PublicUrls urls, SubscriberTokens tokens, int defaultMaxPapers, int maxRising = 0, ReplyAddresses? replyTo = null)
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
        // Sections: the day's own papers, then (with rising papers) the Rising heading, then each rising paper.
        _ownCount = pool.Count - chooser.RisingCount;
        _maxRising = Math.Clamp(maxRising, 0, DigestOptions.MostRising);
        if (chooser.RisingCount > 0 && _body.PaperCount != pool.Count + 1)
            throw new InvalidOperationException($"The digest has {chooser.RisingCount} rising papers but its body {_body.PaperCount} sections for {pool.Count} papers.");
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
        var rising = t_rising ??= new Pick[DigestOptions.MostRising];
        var taste = Taste(reader);
        var risingCount = 0;
        var count = IsUniform ? 0 : _pool.Choose(taste, AsSpan(reader.AlreadySent), picks, rising.AsSpan(0, _maxRising), out risingCount);
        if (!IsUniform && count == 0) return null;

        var personal = taste.Topics.Count > 0 || taste.MutedTopics.Count > 0 || taste.RequireCode || taste.Votes.Count >= DigestPool.MinVotes;
        var opening = Opening(picks, count, personal);
        var unsubscribe = UnsubscribeUrl(reader.SubscriberId);
        var mail = new EncodedValue[PreEncodedAlternative.Template.KindCount];
        mail[(int)SlotKind.Unsubscribe] = EncodedValue.Of(unsubscribe);
        mail[(int)SlotKind.Preferences] = _links.Preferences(reader.SubscriberId, reader.ConsentVersion);
        mail[(int)SlotKind.Preheader] = opening.Preheader;
        mail[(int)SlotKind.Lede] = opening.Lede;

        // The mail's numbers ("#N") and the ledger's positions run on from the day's papers into the
        // rising ones, in mail order: a reply's "+N" finds paper N through the ledger.
        var papers = new PaperValues[count + (risingCount > 0 ? risingCount + 1 : 0)];
        var positions = new System.Text.StringBuilder((count + risingCount) * 4);
        for (var i = 0; i < count; i++) papers[i] = Section(reader, i, picks[i], picks[i].Index, positions);
        if (risingCount > 0)
        {
            papers[count] = new PaperValues(_ownCount, NoValues);
            for (var r = 0; r < risingCount; r++)
                papers[count + 1 + r] = Section(reader, count + r, rising[r], rising[r].Index + 1, positions);
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

    // One paper's section of the reader's mail: number <paramref name="shown"/> (from 0), its links and why.
    private PaperValues Section(DueDelivery reader, int shown, Pick pick, int section, System.Text.StringBuilder positions)
    {
        var id = _papers[pick.Index].Id;
        var values = new EncodedValue[PreEncodedAlternative.Template.KindCount];
        values[(int)SlotKind.Rank] = Ranks[shown + 1];
        values[(int)SlotKind.Why] = pick.Why is null ? NoWhy : Why(pick.Why);
        values[(int)SlotKind.More] = _links.Feedback(reader.SubscriberId, reader.ConsentVersion, id, +1);
        values[(int)SlotKind.Less] = _links.Feedback(reader.SubscriberId, reader.ConsentVersion, id, -1);
        if (shown > 0) positions.Append(',');
        positions.Append(pick.Index + 1);
        return new PaperValues(section, values);
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
