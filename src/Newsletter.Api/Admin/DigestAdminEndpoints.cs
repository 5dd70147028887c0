using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Core.Data;
using Newsletter.Core.Delivery;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;

namespace Newsletter.Api.Admin;

public sealed record TriggerDigestRequest(string? Date, string? Edition);

public sealed record DigestPaperJson(string Id, string Title, long Upvotes);

public sealed record DigestStatusJson(
    long Id, string Date, string Edition, string Status, long Recipients, long Sent, long Failed, long Pending, long Skipped,
    IReadOnlyList<DigestPaperJson> Papers, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? FailureReason, double? MessagesPerSecond, DateTimeOffset? EstimatedFinish, IReadOnlyList<InstancePartJson> Instances)
{
    public static DigestStatusJson From(DigestView v) => new(
        v.Id, v.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), v.Edition.ToStored(), v.Status.ToStored(), v.Counts.Recipients, v.Counts.Sent,
        v.Counts.Failed, v.Counts.Pending, v.Counts.Skipped, v.Papers.Select(p => new DigestPaperJson(p.PaperId, p.Title, p.Upvotes)).ToList(),
        v.CreatedAt, v.StartedAt, v.FinishedAt, v.FailureReason,
        v.MessagesPerSecond is { } r ? Math.Round(r, 1) : null, v.EstimatedFinish,
        v.Instances.Select(i => new InstancePartJson(i.Id, i.Host, i.Sent, i.Holding, i.Alive)).ToList());
}

/// <summary>An instance that took part in the send: messages it sent, rows it holds now, whether it is alive.</summary>
public sealed record InstancePartJson(string Id, string Host, long Sent, long Holding, bool Alive);

public static class DigestAdminEndpoints
{
    public static RouteGroupBuilder MapDigestAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/digests", List).WithName("ListDigests").WithSummary("Digests, newest first, paged by Link: rel=\"next\"")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapPost("/digests", Trigger).WithBodyLimit(BodyLimits.Small).WithName("MakeDigest").WithSummary("Make and send the digest of a date")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapGet("/digests/{id:long}", Status).WithName("GetDigest").WithSummary("A digest's status and sending progress")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/digests/{id:long}/preview", Preview).AllowFramingBySelf().WithName("PreviewDigest")
            .WithSummary("The digest's mail as HTML: every paper, or one reader's own copy with ?email=")
            .Produces<string>(StatusCodes.Status200OK, "text/html").ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/digests/{id:long}/resume", Resume).WithName("ResumeDigest").WithSummary("Continue a failed digest")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    /// <summary>
    /// One page of digests, newest first; when more may follow, <c>Link: &lt;...&gt;; rel="next"</c>
    /// names the next page (keyset on id, never OFFSET), as the subscriber list does.
    /// </summary>
    private static async Task<Ok<List<DigestStatusJson>>> List(
        [AsParameters] DigestPage page, HttpResponse response, DigestService digests, CancellationToken ct)
    {
        var (views, more) = await digests.ListAsync(page.Before, page.Limit, ct);
        var shown = views.Select(DigestStatusJson.From).ToList();
        if (more && shown.Count > 0)
        {
            var query = QueryString.Create([
                KeyValuePair.Create("limit", (string?)page.Limit.ToString(CultureInfo.InvariantCulture)),
                KeyValuePair.Create("before", (string?)shown[^1].Id.ToString(CultureInfo.InvariantCulture)),
            ]);
            response.Headers.Link = $"</api/admin/digests{query}>; rel=\"next\"";
        }
        return TypedResults.Ok(shown);
    }

    private static async Task<Results<Accepted<DigestStatusJson>, Ok<DigestStatusJson>, ProblemHttpResult>> Trigger(
        TriggerDigestRequest? request, DigestService digests, CancellationToken ct)
    {
        var date = digests.Today();
        if (request?.Date is { } text && !RequestInfo.TryParseDigestDay(text, out date)) return RequestInfo.BadRequest(RequestInfo.NotADigestDay(text));
        var edition = DigestEdition.Daily;
        if (request?.Edition is { } name && !StoredText.TryParse(name, out edition))
            return RequestInfo.BadRequest($"The edition '{name}' is not one of: daily, weekly.");

        // An operator's weekly digest goes to every weekly reader, whatever weekday they chose.
        var audience = edition == DigestEdition.Weekly ? DigestAudience.AllWeekly : DigestAudience.Daily;
        var (outcome, digest) = await digests.MakeAsync(date, audience, ct);
        if (outcome == MakeOutcome.NoPapers)
            return TypedResults.Problem(edition == DigestEdition.Weekly
                    ? $"There are no papers on the lists of the seven days to {date:yyyy-MM-dd}."
                    : $"There are no papers on the list of {date:yyyy-MM-dd}.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "Nothing to send");

        var view = DigestStatusJson.From((await digests.ViewAsync(digest!.Id, ct))!);
        return outcome == MakeOutcome.Created
            ? TypedResults.Accepted($"/api/admin/digests/{digest.Id}", view)
            : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<DigestStatusJson>, ProblemHttpResult>> Status(long id, DigestService digests, CancellationToken ct) =>
        await digests.ViewAsync(id, ct) is { } view ? TypedResults.Ok(DigestStatusJson.From(view)) : NotFound(id);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Preview(
        long id, string? email, DigestService digests, DigestCopies copies, PublicUrls urls, CancellationToken ct)
    {
        var digest = await digests.FindAsync(id, ct);
        if (digest is null) return NotFound(id);
        if (email is not null) return await PreviewFor(digest, email, copies, ct);

        // Every paper of the pool, filled at the slots the template wrote as each reader's copy is,
        // with links that belong to no one.
        var sections = SlottedSections.Split(SlottedText.Cut(digest.HtmlBody, digest.SlotMarker));
        var html = new System.Text.StringBuilder(Fill(sections.Head, urls, 0));
        // A section without a number (the Rising heading) does not count as a paper.
        var rank = 0;
        foreach (var section in sections.Papers)
            html.Append(Fill(section, urls, section.Slots.Contains(SlotKind.Rank) ? ++rank : rank));
        html.Append(Fill(sections.Tail, urls, 0));
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static string Fill(SlottedText text, PublicUrls urls, int rank) => text.Fill(kind => kind switch
    {
        SlotKind.Unsubscribe => WebUtility.HtmlEncode(urls.Unsubscribe("preview")),
        SlotKind.Preferences => WebUtility.HtmlEncode(urls.Preferences("preview")),
        SlotKind.More or SlotKind.Less => WebUtility.HtmlEncode(urls.Feedback("preview")),
        SlotKind.Rank => rank.ToString(CultureInfo.InvariantCulture),
        SlotKind.Lede => "Every paper this digest's readers choose from, in upvote order.",
        _ => "",
    });

    /// <summary>That reader's own mail as it would go out now: their papers, order and links.</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PreviewFor(Digest digest, string email, DigestCopies copies, CancellationToken ct)
    {
        var (known, message) = await copies.CopyForAsync(digest, email, ct);
        if (!known)
            return TypedResults.Problem("No subscriber has that address.", statusCode: StatusCodes.Status404NotFound, title: "Unknown subscriber");
        if (message is null)
            return TypedResults.Content("<!DOCTYPE html><p>Nothing in this digest matches this reader's preferences: they get no mail from it.</p>",
                "text/html; charset=utf-8");
        using var copy = new MemoryStream();
        await message.WriteToAsync(copy, ct);
        copy.Position = 0;
        var parsed = await MimeKit.MimeMessage.LoadAsync(copy, ct);
        return TypedResults.Content(parsed.HtmlBody ?? "", "text/html; charset=utf-8");
    }

    private static async Task<Results<Accepted<DigestStatusJson>, ProblemHttpResult>> Resume(long id, DigestService digests, CancellationToken ct)
    {
        if (await digests.ResumeAsync(id, ct) is null) return NotFound(id);
        return TypedResults.Accepted($"/api/admin/digests/{id}", DigestStatusJson.From((await digests.ViewAsync(id, ct))!));
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem($"There is no digest {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown digest");
}

/// <summary>The query of the digest list: <c>before</c> is the last id of the previous page.</summary>
public sealed record DigestPage(
    [property: Range(1, 1000)] int Limit = 100,
    [property: Range(1, long.MaxValue)] long Before = long.MaxValue);
