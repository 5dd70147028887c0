using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Admin;

public sealed record SubscriberView(string Email, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt);

public static class SubscriberAdminEndpoints
{
    public static RouteGroupBuilder MapSubscriberAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/subscribers", List);
        return admin;
    }

    private static async Task<Results<Ok<List<SubscriberView>>, ProblemHttpResult>> List(
        string? status, SubscriberStore store, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(status) && !SubscriberStatus.All.Contains(status))
            return TypedResults.Problem($"status must be one of: {string.Join(", ", SubscriberStatus.All)}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Unknown status");

        var subscribers = await store.ListAsync(string.IsNullOrEmpty(status) ? null : status, 0, int.MaxValue, ct);
        return TypedResults.Ok(subscribers.Select(s => new SubscriberView(s.Email, s.Status, s.CreatedAt, s.ConfirmedAt)).ToList());
    }
}
