using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Core.Data;
using Newsletter.Core.Privacy;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Admin;

public sealed record SubscriberView(string Email, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt);

public static class SubscriberAdminEndpoints
{
    public static RouteGroupBuilder MapSubscriberAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/subscribers", List).WithName("ListSubscribers").WithSummary("Subscribers in id order, paged by Link: rel=\"next\"")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        // The body is read as a stream by the handler, so the generator needs to be told what it is.
        admin.MapPost("/subscribers/import", Import).WithBodyLimit(BodyLimits.SubscriberCsv).WithName("ImportSubscribers")
            .WithSummary("Import a CSV with an \"email\" column; new addresses become active").Accepts<string>("text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapDelete("/subscribers/{email}", Erase).WithName("EraseSubscriber")
            .WithSummary("Erase a subscriber as their own \"Delete me\" does; only a keyed hash of the address is kept")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    /// <summary>Erases the subscriber with this address (see <see cref="ReaderErasure"/>).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> Erase(string email, ReaderErasure erasure, CancellationToken ct) =>
        await erasure.EraseAsync(email, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem("No subscriber has this address; nothing was changed.", statusCode: StatusCodes.Status404NotFound,
                title: "Unknown subscriber");

    /// <summary>CSV with an "email" column: new valid addresses become active; known ones are left as they are.</summary>
    private static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Import(
        Stream body, HttpContext http, SubscriberImporter importer, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await importer.ImportAsync(body, http.Evidence(ConsentSource.Import), ct));
        }
        catch (ImportFormatException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid CSV");
        }
    }

    /// <summary>
    /// One page of subscribers in id order, at most <see cref="SubscriberPage.Limit"/>; when more may
    /// follow, <c>Link: &lt;...&gt;; rel="next"</c> names the next page (keyset on id, never OFFSET).
    /// </summary>
    private static async Task<Results<Ok<List<SubscriberView>>, ProblemHttpResult>> List(
        [AsParameters] SubscriberPage page, HttpResponse response, SubscriberStore store, CancellationToken ct)
    {
        SubscriberStatus? status = null;
        if (!string.IsNullOrEmpty(page.Status))
        {
            if (!StoredText.TryParse<SubscriberStatus>(page.Status, out var parsed))
                return TypedResults.Problem($"status must be one of: {string.Join(", ", StoredText.AllOf<SubscriberStatus>())}.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Unknown status");
            status = parsed;
        }

        // One row more than asked tells whether a next page exists without counting the table.
        var rows = await store.ListAsync(status, page.After, page.Limit + 1, ct);
        var shown = rows.Take(page.Limit).ToList();
        if (rows.Count > page.Limit)
        {
            var query = QueryString.Create([
                .. status is null ? [] : new[] { KeyValuePair.Create("status", (string?)status.Value.ToStored()) },
                KeyValuePair.Create("limit", (string?)page.Limit.ToString(CultureInfo.InvariantCulture)),
                KeyValuePair.Create("after", (string?)shown[^1].Id.ToString(CultureInfo.InvariantCulture)),
            ]);
            response.Headers.Link = $"</api/admin/subscribers{query}>; rel=\"next\"";
        }
        return TypedResults.Ok(shown.Select(s => new SubscriberView(s.Email, s.Status.ToStored(), s.CreatedAt, s.ConfirmedAt)).ToList());
    }
}

/// <summary>The query of the subscriber list: <c>after</c> is the last id of the previous page.</summary>
public sealed record SubscriberPage(
    string? Status,
    [property: Range(1, 1000)] int Limit = 100,
    [property: Range(0, long.MaxValue)] long After = 0);
