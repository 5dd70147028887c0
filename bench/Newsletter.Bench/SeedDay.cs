using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Newsletter.Core.Data;
using Newsletter.Core.Delivery;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;
using Newsletter.Core.Options;
using Newsletter.Core.Papers;
using Newsletter.Core.Ranking;
using Newsletter.Core.Security;

namespace Newsletter.Bench;

/// <summary>
/// The seed day's papers (2026-05-20, 47 of them) in a fresh SQLite file, and the parts that render
/// a digest of them and make each reader's copy, set up as the service sets them up.
/// </summary>
public sealed class SeedDay
{
    public static readonly DateOnly Date = new(2026, 5, 20);

    private SeedDay(string folder, IReadOnlyList<Paper> pool, TemplateRenderer templates, PublicUrls urls, MailComposer composer)
    {
        Folder = folder;
        Pool = pool;
        Urls = urls;
        Composer = composer;
        Renderer = new DigestRenderer(templates, composer);
        var secrets = new AppSecrets();
        secrets.Set(new SigningKey(new byte[32]), new AdminKey(new byte[32]));
        Tokens = new SubscriberTokens(secrets, TimeProvider.System);
    }

    public string Folder { get; }

    /// <summary>The day's pool, as a daily digest of it holds it.</summary>
    public IReadOnlyList<Paper> Pool { get; }

    public PublicUrls Urls { get; }

    public MailComposer Composer { get; }

    public DigestRenderer Renderer { get; }

    public SubscriberTokens Tokens { get; }

    public static async Task<SeedDay> SetUpAsync(string repoRoot)
    {
        var folder = Directory.CreateTempSubdirectory("newsletter-bench-").FullName;
        var db = new Db($"Data Source={Path.Combine(folder, "bench.db")}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var importer = new PaperImporter(new PaperStore(db, TimeProvider.System), NullLogger<PaperImporter>.Instance);
        await importer.ImportSeedIfEmptyAsync(Path.Combine(repoRoot, "seeds", "papers.json"), CancellationToken.None);
        var pool = await new DigestStore(db, TimeProvider.System).PoolAsync(DigestEdition.Daily, Date, DigestService.DailyPool, CancellationToken.None);

        var options = Options.Create(new NewsletterOptions { PostalAddress = "Bench Lab, 1 Loop Lane, 12345 Localhost" });
        var templates = new TemplateRenderer(new TemplateFolder(Path.Combine(repoRoot, "templates"), typeof(SeedDay).Assembly));
        var urls = new PublicUrls(options.Value.BaseUrl);
        return new SeedDay(folder, pool, templates, urls, new MailComposer(templates, options, urls));
    }

    public static Digest DigestOf(DigestDraft draft) => new()
    {
        Id = 1, Date = draft.Date, Subject = draft.Subject, HtmlBody = draft.HtmlBody, TextBody = draft.TextBody, SlotMarker = draft.SlotMarker,
    };

    /// <summary>The chooser over the pool, knowing the pool's papers as the ones readers voted on.</summary>
    public DigestPool Chooser() => DigestCopies.ChooserFor(Pool, Pool);

    public DigestMessageFactory Factory(DigestDraft draft, DigestPool chooser) =>
        new(DigestOf(draft), Pool, chooser, Composer.From, Composer.Sender.Name, Urls, Tokens, 10);
}
