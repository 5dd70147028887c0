using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Papers;

/// <summary>SQL for papers: upsert by arXiv id, and the day's candidates for a digest.</summary>
public sealed class PaperStore(Db db, TimeProvider clock)
{
    private const string Exists = "SELECT count(*) FROM papers WHERE id = @Id";
    private const string CountAll = "SELECT count(*) FROM papers";

    private const string OfDay = """
        SELECT * FROM papers WHERE daily_date = @date
        ORDER BY upvotes DESC, num_comments DESC, coalesce(published_at, '') DESC, id DESC
        """;

    // Counts grow during the day, so a re-fetch refreshes them; what a source leaves out is kept.
    private const string Upsert = """
        INSERT INTO papers (id, title, summary, ai_summary, authors, author_count, organization, upvotes, num_comments,
                            published_at, submitted_on_daily_at, daily_date, github_repo, github_stars, project_page,
                            thumbnail, ai_keywords, created_at, updated_at)
        VALUES (@Id, @Title, @Summary, @AiSummary, @Authors, @AuthorCount, @Organization, @Upvotes, @NumComments,
                @PublishedAt, @SubmittedOnDailyAt, @DailyDate, @GithubRepo, @GithubStars, @ProjectPage,
                @Thumbnail, @AiKeywords, @Now, @Now)
        ON CONFLICT (id) DO UPDATE SET
            title = excluded.title,
            summary = CASE WHEN excluded.summary = '' THEN papers.summary ELSE excluded.summary END,
            ai_summary = coalesce(excluded.ai_summary, papers.ai_summary),
            authors = CASE WHEN excluded.authors = '' THEN papers.authors ELSE excluded.authors END,
            author_count = CASE WHEN excluded.author_count > papers.author_count THEN excluded.author_count ELSE papers.author_count END,
            organization = coalesce(excluded.organization, papers.organization),
            upvotes = excluded.upvotes,
            num_comments = excluded.num_comments,
            published_at = coalesce(excluded.published_at, papers.published_at),
            submitted_on_daily_at = coalesce(excluded.submitted_on_daily_at, papers.submitted_on_daily_at),
            daily_date = coalesce(excluded.daily_date, papers.daily_date),
            github_repo = coalesce(excluded.github_repo, papers.github_repo),
            github_stars = coalesce(excluded.github_stars, papers.github_stars),
            project_page = coalesce(excluded.project_page, papers.project_page),
            thumbnail = coalesce(excluded.thumbnail, papers.thumbnail),
            ai_keywords = coalesce(excluded.ai_keywords, papers.ai_keywords),
            updated_at = excluded.updated_at
        """;

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(CountAll);
    }

    public async Task<IReadOnlyList<Paper>> OfDayAsync(DateOnly date, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Paper>(OfDay, new { date })).AsList();
    }

    /// <summary>Stores the papers in one transaction; returns how many were new and how many updated.</summary>
    public async Task<(int Imported, int Updated)> UpsertAsync(IReadOnlyList<Paper> papers, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        int imported = 0, updated = 0;
        foreach (var paper in papers)
        {
            var existed = await connection.ExecuteScalarAsync<long>(Exists, new { paper.Id }, tx) > 0;
            await connection.ExecuteAsync(Upsert, new
            {
                paper.Id, paper.Title, paper.Summary, paper.AiSummary, paper.Authors, paper.AuthorCount,
                paper.Organization, paper.Upvotes, paper.NumComments, paper.PublishedAt, paper.SubmittedOnDailyAt,
                paper.DailyDate, paper.GithubRepo, paper.GithubStars, paper.ProjectPage, paper.Thumbnail,
                paper.AiKeywords, Now = now,
            }, tx);
            if (existed) updated++; else imported++;
        }
        await tx.CommitAsync(ct);
        return (imported, updated);
    }
}
