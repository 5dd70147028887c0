using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Core.Papers;

namespace Newsletter.Api.Admin;

public sealed record PaperImportJson(int Imported, int Updated, IReadOnlyList<string> Skipped);

public static class PaperAdminEndpoints
{
    private const long MaxBodyBytes = 20 * 1024 * 1024;

    public static RouteGroupBuilder MapPaperAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/papers", Import);
        return admin;
    }

    /// <summary>Upserts papers given in the Daily Papers API's shape; a body that is not that stores nothing.</summary>
    private static async Task<Results<Ok<PaperImportJson>, ProblemHttpResult>> Import(
        HttpRequest request, PaperImporter importer, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
            return BadRequest($"The body is larger than {MaxBodyBytes} bytes.");
        List<DailyPaperItem?> items;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            items = PaperImporter.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (JsonException e)
        {
            return BadRequest($"The body is not a JSON array in the Daily Papers API shape: {e.Message}");
        }
        var result = await importer.StoreAsync(items, null, ct);
        return TypedResults.Ok(new PaperImportJson(result.Imported, result.Updated, result.Skipped));
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid papers");
}
