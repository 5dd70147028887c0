using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Core.Data;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Admin;

public sealed record SubscriberView(string Email, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt);

public static class SubscriberAdminEndpoints
{
    public static RouteGroupBuilder MapSubscriberAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/subscribers", List);
        admin.MapPost("/subscribers/import", Import);
        return admin;
    }

    private const long MaxImportBytes = 64L * 1024 * 1024;

    /// <summary>CSV with an "email" column: new valid addresses become active; known ones are left as they are.</summary>
    private static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Import(
        HttpContext http, SubscriberImporter importer, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxImportBytes)
            return TypedResults.Problem($"The CSV is larger than {MaxImportBytes} bytes; split it.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large");
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxImportBytes;
        try
        {
            using var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8);
            return TypedResults.Ok(await importer.ImportAsync(reader, http.Evidence(ConsentSource.Import), ct));
        }
        catch (ImportFormatException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid CSV");
        }
    }

    private static async Task<Results<Ok<List<SubscriberView>>, ProblemHttpResult>> List(
        string? status, SubscriberStore store, CancellationToken ct)
    {
        SubscriberStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!StoredText.TryParse<SubscriberStatus>(status, out var parsed))
                return TypedResults.Problem($"status must be one of: {string.Join(", ", StoredText.AllOf<SubscriberStatus>())}.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Unknown status");
            filter = parsed;
        }

        var subscribers = await store.ListAsync(filter, 0, int.MaxValue, ct);
        return TypedResults.Ok(subscribers.Select(s => new SubscriberView(s.Email, s.Status.ToStored(), s.CreatedAt, s.ConfirmedAt)).ToList());
    }
}
