using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Core.AdminConsole;
using Newsletter.Core.Bounces;
using Newsletter.Core.Data;
using Newsletter.Core.Digests;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.AdminConsole;

public static class SubscriberConsoleEndpoints
{
    public const int PageSize = 50;

    public static RouteGroupBuilder MapSubscriberConsole(this RouteGroupBuilder pages)
    {
        pages.MapGet("/subscribers", Search);
        pages.MapGet("/subscribers/{id:long}", History);
        // A download linked from a page: without a session it leads to the sign-in form like the pages.
        pages.MapGet("/subscribers/export", Export).AllowCookieRedirect();
        pages.MapPost("/subscribers/import", Import).WithBodyLimit(BodyLimits.SubscriberCsv);
        return pages;
    }

    /// <summary>Subscribers whose address holds <paramref name="q"/>, of one status or all, fifty a page by id.</summary>
    private static async Task<ContentHttpResult> Search(string? q, string? status, long? after, HttpContext http, SubscriberSearch search,
        ConsolePageRenderer pages, CancellationToken ct)
    {
        if (!TryStatus(status, out var wanted))
            return await pages.MessageAsync(http, StatusCodes.Status400BadRequest, "Unknown status",
                $"The status must be one of: {string.Join(", ", StoredText.AllOf<SubscriberStatus>())}.", "/admin/subscribers", "All subscribers");
        return await pages.RenderAsync("Subscribers", await PageOf(http, q, wanted, after ?? 0, search, pages, null, null, ct));
    }

    private static async Task<ContentHttpResult> History(
        long id, HttpContext http, SubscriberHistory history, BounceStore bounces, ConsolePageRenderer pages, CancellationToken ct) =>
        await history.OfAsync(id, ct) is { } record
            ? await pages.RenderAsync("Subscriber", new SubscriberPage(pages.Frame(http, record.Subscriber.Email, "subscribers"), record,
                await bounces.OfSubscriberAsync(id, ct)))
            : await pages.MessageAsync(http, StatusCodes.Status404NotFound, "No such subscriber", $"There is no subscriber {id}.", "/admin/subscribers", "All subscribers");

    /// <summary>Every subscriber of a status as CSV (a header row, then one address a line), streamed as read.</summary>
    private static Results<PushStreamHttpResult, BadRequest> Export(string? status, SubscriberSearch search, HttpContext http)
    {
        if (!TryStatus(status, out var wanted)) return TypedResults.BadRequest();
        var name = $"subscribers-{wanted?.ToStored() ?? "all"}.csv";
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false));
            await writer.WriteAsync("email,status,created_at,confirmed_at\n");
            await foreach (var s in search.AllAsync(wanted, http.RequestAborted))
                await writer.WriteAsync($"{Field(s.Email)},{s.Status.ToStored()},{DapperSetup.Format(s.CreatedAt)},{(s.ConfirmedAt is { } c ? DapperSetup.Format(c) : "")}\n");
        }, "text/csv; charset=utf-8", name);
    }

    /// <summary>A CSV upload through the admin import: new valid addresses become active, known ones stay as they are.</summary>
    private static async Task<ContentHttpResult> Import(HttpContext http, SubscriberImporter importer, SubscriberSearch search,
        ConsolePageRenderer pages, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        string? notice = null, error = null;
        if (form.Files.GetFile("file") is not { Length: > 0 } file) error = "Choose a CSV file with an \"email\" column.";
        else
        {
            try
            {
                await using var csv = file.OpenReadStream();
                var result = await importer.ImportAsync(csv, http.Evidence(ConsentSource.Import), ct);
                notice = $"Imported {result.Imported}, skipped {result.Skipped}.";
            }
            catch (ImportFormatException e)
            {
                error = e.Message;
            }
        }
        return await pages.RenderAsync("Subscribers", await PageOf(http, null, null, 0, search, pages, notice, error, ct),
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<SubscribersPage> PageOf(HttpContext http, string? q, SubscriberStatus? status, long after, SubscriberSearch search,
        ConsolePageRenderer pages, string? notice, string? error, CancellationToken ct)
    {
        // One row more than shown tells whether a next page exists without counting.
        var rows = await search.FindAsync(q, status, after, PageSize + 1, ct);
        var shown = rows.Take(PageSize).ToList();
        return new SubscribersPage(pages.Frame(http, "Subscribers", "subscribers"), q, status, shown,
            rows.Count > PageSize ? shown[^1].Id : null, notice, error);
    }

    private static bool TryStatus(string? text, out SubscriberStatus? status)
    {
        status = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!StoredText.TryParse<SubscriberStatus>(text, out var parsed)) return false;
        status = parsed;
        return true;
    }

    /// <summary>
    /// A field quoted when it holds a separator or quote, and a leading = + - @ defused with a quote
    /// mark, so a spreadsheet never runs an address as a formula.
    /// </summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
