using Newsletter.Api.Preferences;
using Newsletter.Core.Data;
using Newsletter.Core.Privacy;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Privacy;

/// <summary>
/// The contract's export: <c>{"email","status","preferences","votes","consentEvents","digests","bounces"}</c>,
/// and besides them the subscriber row's own columns (<see cref="Subscription"/>) and the times
/// confirmation mails were sent, the replies handled and the last answer to one: everything held about the reader.
/// </summary>
public sealed record DataExport(
    string Email, string Status, PreferencesResponse Preferences, IReadOnlyList<ExportedVote> Votes,
    IReadOnlyList<ExportedConsentEvent> ConsentEvents, IReadOnlyList<ExportedDigest> Digests, IReadOnlyList<ExportedBounce> Bounces,
    SubscriptionRecord Subscription, IReadOnlyList<DateTimeOffset> ConfirmationMails, IReadOnlyList<ExportedReply> Replies,
    DateTimeOffset? LastReplyAnswerAt, DateTimeOffset ExportedAt)
{
    public static DataExport Of(Subscriber reader, PreferencesResponse preferences, ReaderData data, DateTimeOffset now) =>
        new(reader.Email, reader.Status.ToStored(), preferences, data.Votes, data.ConsentEvents, data.Digests, data.Bounces,
            data.Subscription, data.ConfirmationMails, data.Replies, data.LastReplyAnswerAt, now);
}
