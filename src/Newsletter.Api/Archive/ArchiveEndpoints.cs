namespace Newsletter.Api.Archive;

public static class ArchiveEndpoints
{
    public static IEndpointRouteBuilder MapArchive(this IEndpointRouteBuilder app) => app;
}
