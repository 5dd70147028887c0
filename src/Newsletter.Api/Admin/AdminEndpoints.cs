namespace Newsletter.Api.Admin;

public static class AdminEndpoints
{
    /// <summary>Everything under /api/admin, behind the admin key.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").AddEndpointFilter<AdminKeyFilter>().WithTags("Admin");
        admin.MapSubscriberAdmin();
        admin.MapDigestAdmin();
        admin.MapPaperAdmin();
        return app;
    }
}
