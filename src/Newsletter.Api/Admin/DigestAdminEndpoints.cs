using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Core.Data;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;

namespace Newsletter.Api.Admin;

public sealed record TriggerDigestRequest(string? Date);

public sealed record DigestPaperJson(string Id, string Title, long Upvotes);

public sealed record DigestStatusJson(
    long Id, string Date, string Status, long Recipients, long Sent, long Failed, long Pending, long Skipped,
    IReadOnlyList<DigestPaperJson> Papers, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? FailureReason, double? MessagesPerSecond, DateTimeOffset? EstimatedFinish)
{
    public static DigestStatusJson From(DigestView v) => new(
        v.Id, v.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), v.Status.ToStored(), v.Counts.Recipients, v.Counts.Sent,
        v.Counts.Failed, v.Counts.Pending, v.Counts.Skipped, v.Papers.Select(p => new DigestPaperJson(p.PaperId, p.Title, p.Upvotes)).ToList(),
        v.CreatedAt, v.StartedAt, v.FinishedAt, v.FailureReason,
        v.MessagesPerSecond is { } r ? Math.Round(r, 1) : null, v.EstimatedFinish);
}

public static class DigestAdminEndpoints
{
    public static RouteGroupBuilder MapDigestAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/digests", Trigger).WithBodyLimit(BodyLimits.Small);
        admin.MapGet("/digests/{id:long}", Status);
        admin.MapGet("/digests/{id:long}/preview", Preview).AllowFramingBySelf();
        admin.MapPost("/digests/{id:long}/resume", Resume);
        return admin;
    }

    private static async Task<Results<Accepted<DigestStatusJson>, Ok<DigestStatusJson>, ProblemHttpResult>> Trigger(
        TriggerDigestRequest? request, DigestService digests, CancellationToken ct)
    {
        var date = digests.Today();
        if (request?.Date is { } text && !RequestInfo.TryParseDay(text, out date)) return RequestInfo.BadRequest(RequestInfo.NotADay(text));

        var (outcome, digest) = await digests.MakeAsync(date, ct);
        if (outcome == MakeOutcome.NoPapers)
            return TypedResults.Problem($"There are no papers on the list of {date:yyyy-MM-dd} that no earlier digest has sent.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "Nothing to send");

        var view = DigestStatusJson.From((await digests.ViewAsync(digest!.Id, ct))!);
        return outcome == MakeOutcome.Created
            ? TypedResults.Accepted($"/api/admin/digests/{digest.Id}", view)
            : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<DigestStatusJson>, ProblemHttpResult>> Status(long id, DigestService digests, CancellationToken ct) =>
        await digests.ViewAsync(id, ct) is { } view ? TypedResults.Ok(DigestStatusJson.From(view)) : NotFound(id);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Preview(long id, DigestService digests, PublicUrls urls, CancellationToken ct)
    {
        var digest = await digests.FindAsync(id, ct);
        if (digest is null) return NotFound(id);
        // Filled at the slots the template wrote, as each reader's copy is, with links that belong to no one.
        var unsubscribe = WebUtility.HtmlEncode(urls.Unsubscribe("preview"));
        var html = SlottedText.Cut(digest.HtmlBody, digest.SlotMarker).Fill(kind => kind switch
        {
            SlotKind.Unsubscribe => unsubscribe,
            _ => "#",
        });
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<Results<Accepted<DigestStatusJson>, ProblemHttpResult>> Resume(long id, DigestService digests, CancellationToken ct)
    {
        if (await digests.ResumeAsync(id, ct) is null) return NotFound(id);
        return TypedResults.Accepted($"/api/admin/digests/{id}", DigestStatusJson.From((await digests.ViewAsync(id, ct))!));
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem($"There is no digest {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown digest");
}
