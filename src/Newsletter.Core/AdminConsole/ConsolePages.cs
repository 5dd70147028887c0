using Newsletter.Core.Bounces;
using Newsletter.Core.Digests;
using Newsletter.Core.Papers;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.AdminConsole;

// The models of the operator's console pages (templates/admin). They live here because the
// templates compile against Newsletter.Core only.

/// <summary>What every console page carries: its title, its place in the menu, the form token.</summary>
public sealed record ConsoleFrame(string Title, string Section, FormToken Token);

/// <summary>
/// A page drawn inside the console's layout. RazorLight hands the layout the page's own model, so
/// the layout (<c>@model IConsolePage</c>) reads the frame from it; nothing goes through the
/// ViewBag, whose <c>dynamic</c> members would load Microsoft.CSharp's run-time binder.
/// </summary>
public interface IConsolePage
{
    ConsoleFrame Frame { get; }
}

/// <summary>The antiforgery field every form that changes something sends back.</summary>
public sealed record FormToken(string Field, string Value);

public sealed record SignInPage(FormToken Token, string? Error);

public sealed record ConsoleMessagePage(ConsoleFrame Frame, string Heading, string Body, string? LinkUrl, string? LinkText) : IConsolePage;

public sealed record DashboardPage(
    ConsoleFrame Frame, IReadOnlyDictionary<SubscriberStatus, long> Counts, ActivityChart Chart, IReadOnlyList<DigestSummary> Digests,
    DateTimeOffset? NextDigest, DateTimeOffset? NextFetch, DateOnly Today, IReadOnlyList<Paper> Papers) : IConsolePage;

public sealed record DigestsPage(ConsoleFrame Frame, IReadOnlyList<DigestSummary> Digests, long? OlderThan, DateOnly Today) : IConsolePage;

/// <summary>A digest before it is made: what would go out for that date, with a button to send it.</summary>
public sealed record DigestDraftPage(ConsoleFrame Frame, DateOnly Date, DigestEdition Edition, IReadOnlyList<Paper> Papers, long? ExistingId, string? Error) : IConsolePage;

public sealed record DigestPage(ConsoleFrame Frame, DigestView Digest) : IConsolePage
{
    public int Percent => PercentOf(Digest);

    /// <summary>How much of the ledger is done (sent, failed or skipped); a digest with no readers is done when sent.</summary>
    public static int PercentOf(DigestView digest) => digest.Counts.Recipients == 0
        ? (digest.Status == DigestStatus.Sent ? 100 : 0)
        : (int)((digest.Counts.Recipients - digest.Counts.Pending) * 100 / digest.Counts.Recipients);
}

public sealed record SubscribersPage(
    ConsoleFrame Frame, string? Query, SubscriberStatus? Status, IReadOnlyList<Subscriber> Rows, long? NextAfter, string? Notice, string? Error) : IConsolePage;

/// <summary>One subscriber's story; <paramref name="Bounces"/>: the returned mail that suppressed them, newest first.</summary>
public sealed record SubscriberPage(ConsoleFrame Frame, SubscriberRecord Record, IReadOnlyList<BounceEntry> Bounces) : IConsolePage;

public sealed record PapersPage(ConsoleFrame Frame, DateOnly Date, IReadOnlyList<Paper> Papers, string? Notice, string? Error) : IConsolePage;
