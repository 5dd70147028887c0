namespace Newsletter.Api.Admin;

public static class AdminEndpoints
{
    /// <summary>Everything under /api/admin, behind the admin key.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        // The filter's answers (a missing or wrong key, too many wrong keys) are every route's answers too.
        var admin = app.MapGroup("/api/admin").AddEndpointFilter<AdminKeyFilter>().WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        admin.MapSubscriberAdmin();
        admin.MapDigestAdmin();
        admin.MapPaperAdmin();
        admin.MapBounceAdmin();
        admin.MapReplyAdmin();
        return app;
    }
}
