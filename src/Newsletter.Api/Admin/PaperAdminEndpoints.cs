using System.Text.Json;
using Newsletter.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Core.Papers;

namespace Newsletter.Api.Admin;

public sealed record PaperImportJson(int Imported, int Updated, IReadOnlyList<string> Skipped);

public sealed record FetchRequest(string? Date);

public sealed record PaperJson(
    string Id, string Title, long Upvotes, long Comments, string Authors, long AuthorCount, string? Organization, string? AiSummary,
    string? GithubRepo, long? GithubStars, string? ProjectPage, DateTimeOffset? PublishedAt, DateTimeOffset? SubmittedOnDailyAt);

public sealed record FetchResultJson(int Fetched);

public static class PaperAdminEndpoints
{
    public static RouteGroupBuilder MapPaperAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/papers", Import).WithBodyLimit(BodyLimits.Papers).WithName("ImportPapers")
            .WithSummary("Store papers given in the Daily Papers API's shape").Accepts<List<DailyPaperItem>>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapPost("/papers/fetch", Fetch).WithBodyLimit(BodyLimits.Small).WithName("FetchPapers")
            .WithSummary("Fetch one day's list from the Daily Papers API now")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        admin.MapGet("/papers", OfDay).WithName("PapersOfDay").WithSummary("A day's list as stored, ranked as a digest ranks it")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return admin;
    }

    /// <summary>
    /// Upserts papers given in the Daily Papers API's shape; a body that is not that stores nothing.
    /// The body is a stream, read by the handler, so nobody without the admin key gets 20 MB parsed.
    /// </summary>
    private static async Task<Results<Ok<PaperImportJson>, ProblemHttpResult>> Import(
        Stream body, PaperImporter importer, CancellationToken ct)
    {
        List<DailyPaperItem?> items;
        try
        {
            items = await PaperImporter.ParseAsync(body, ct);
        }
        catch (JsonException e)
        {
            return BadRequest($"The body is not a JSON array in the Daily Papers API shape: {e.Message}");
        }
        var result = await importer.StoreAsync(items, null, ct);
        return TypedResults.Ok(new PaperImportJson(result.Imported, result.Updated, result.Skipped));
    }

    /// <summary>A day's list as stored, ranked as a digest would rank it.</summary>
    private static async Task<Results<Ok<List<PaperJson>>, ProblemHttpResult>> OfDay(string? date, PaperStore store, CancellationToken ct)
    {
        if (!RequestInfo.TryParseDay(date, out var day)) return BadRequest("Give the day as ?date=yyyy-MM-dd.");
        var papers = await store.OfDayAsync(day, ct);
        return TypedResults.Ok(papers.Select(p => new PaperJson(p.Id, p.Title, p.Upvotes, p.NumComments, p.Authors, p.AuthorCount,
            p.Organization, p.AiSummary, p.GithubRepo, p.GithubStars, p.ProjectPage, p.PublishedAt, p.SubmittedOnDailyAt)).ToList());
    }

    /// <summary>Fetches one day from the Daily Papers API now.</summary>
    private static async Task<Results<Ok<FetchResultJson>, ProblemHttpResult>> Fetch(
        FetchRequest body, PaperFetcher fetcher, ILogger<PaperFetcher> logger, CancellationToken ct)
    {
        if (!RequestInfo.TryParseDay(body.Date, out var date)) return BadRequest(RequestInfo.NotADay(body.Date));
        try
        {
            var (outcome, fetched) = await fetcher.FetchAsync(date, ct);
            return outcome switch
            {
                FetchOutcome.Disabled => TypedResults.Problem("The Hugging Face source is disabled (PaperSources__HuggingFace__Enabled=false).",
                    statusCode: StatusCodes.Status409Conflict, title: "Source disabled"),
                FetchOutcome.FutureDate => BadRequest($"{date:yyyy-MM-dd} is in the future; its list does not exist yet."),
                _ => TypedResults.Ok(new FetchResultJson(fetched)),
            };
        }
        catch (PaperSourceException e)
        {
            // The fetcher leaves the logging to its caller: here, as the schedule does, a warning.
            logger.LogWarning("Fetching the papers of {Date:yyyy-MM-dd} for the operator failed: {Reason}", date, e.Message);
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status502BadGateway, title: "The Daily Papers API failed");
        }
    }

    private static ProblemHttpResult BadRequest(string detail) => RequestInfo.BadRequest(detail, "Invalid papers");
}
