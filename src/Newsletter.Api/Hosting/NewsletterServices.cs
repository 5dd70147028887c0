using Newsletter.Core.Scheduling;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Api.Admin;
using Newsletter.Api.Http;
using Newsletter.Api.Pages;
using Newsletter.Core.Bounces;
using Newsletter.Core.Data;
using Newsletter.Core.Delivery;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;
using Newsletter.Core.Options;
using Newsletter.Core.Papers;
using Newsletter.Core.Privacy;
using Newsletter.Core.Security;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Hosting;

public static class NewsletterServices
{
    public const string SubscribePolicy = "subscribe";

    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    public static IServiceCollection AddNewsletter(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<NewsletterOptions>().BindConfiguration(NewsletterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DkimOptions>().BindConfiguration(DkimOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DkimOptions>, DkimOptionsValidator>();
        services.AddOptions<BounceOptions>().BindConfiguration(BounceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RepliesOptions>().BindConfiguration(RepliesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // A stop lets the SMTP command in flight finish (each is bounded by Smtp:Timeout) and its
        // result reach the ledger; cut off sooner, that reader would get the digest again after a restart.
        services.AddOptions<HostOptions>().Configure<IOptions<SmtpOptions>>((host, smtp) =>
        {
            var needed = smtp.Value.Timeout + ShutdownMargin;
            if (host.ShutdownTimeout < needed) host.ShutdownTimeout = needed;
        });

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DigestCalendar>();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Configure(o => o.ConnectionString = NewsletterDefaults.ConnectionString(configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        var provider = NewsletterDefaults.Provider(configuration);
        // Made by the container so that they are released when the host is disposed.
        services.AddSingleton(_ => new Db(NewsletterDefaults.ConnectionString(configuration), provider));
        services.AddSingleton(_ => new DatabaseLock(provider == DatabaseProvider.Sqlite ? NewsletterDefaults.ConnectionString(configuration) : null));
        services.AddOptions<TemplateOptions>().BindConfiguration(TemplateOptions.Section);
        services.AddSingleton(sp => new TemplateFolder(NewsletterDefaults.ResolveAsset(
            sp.GetRequiredService<IOptions<NewsletterOptions>>().Value.TemplatesPath, environment.ContentRootPath, "templates"),
            typeof(NewsletterServices).Assembly,
            TemplateCompilation.CacheDirectory(sp.GetRequiredService<IOptions<TemplateOptions>>().Value,
                configuration, environment.ContentRootPath)));
        services.AddSingleton(sp => new SeedFile(NewsletterDefaults.ResolveAsset(
            sp.GetRequiredService<IOptions<NewsletterOptions>>().Value.SeedPapersPath, environment.ContentRootPath,
            Path.Combine("seeds", "papers.json"))));

        services.AddSingleton<Migrator>();
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<SecretsBootstrap>();
        services.AddSingleton<AppSecrets>();
        services.AddSingleton<SubscriberTokens>();
        services.AddSingleton<AdminKeyGuesses>();
        services.AddSingleton<SubscriberStore>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<SubscriberImporter>();
        services.AddSingleton<ReaderLinks>();
        services.AddSingleton<ReaderPreferencesService>();
        services.AddSingleton<FeedbackService>();
        services.AddSingleton<PaperStore>();
        services.AddSingleton<PaperImporter>();
        services.AddSingleton(sp => new PublicUrls(sp.GetRequiredService<IOptions<NewsletterOptions>>().Value.BaseUrl));
        services.AddSingleton<TemplateRenderer>();
        services.AddSingleton<MailComposer>();
        services.AddSingleton<PageRenderer>();
        services.AddSingleton<ConfirmationSignal>();
        services.AddSingleton<DigestStore>();
        services.AddSingleton<DigestRenderer>();
        services.AddSingleton<SendHours>();
        services.AddSingleton<DigestCopies>();
        services.AddSingleton<DigestService>();
        services.AddSingleton<DigestArchive>();
        services.AddSingleton<DeliveryLedger>();
        services.AddSingleton<MessageSigner>();
        services.AddSingleton<DeliveryPool>();
        services.AddSingleton<DigestSender>();
        services.AddSingleton<SendInstance>();
        services.AddSingleton<SendInstances>();
        services.AddSingleton<SendProgress>();
        services.AddSingleton<UnsubscribeWatch>();
        services.AddSingleton<ReturnPaths>();
        services.AddSingleton<BounceStore>();
        services.AddSingleton<IReturnedMailHandler, BounceHandler>();
        services.AddReplies();
        services.AddSingleton<AddressHashes>();
        services.AddSingleton<ReaderExport>();
        services.AddSingleton<ReaderErasure>();
        services.AddSingleton<PrivacyRetention>();
        services.AddSingleton<IMailTransport>(sp =>
        {
            var smtp = sp.GetRequiredService<IOptions<SmtpOptions>>().Value;
            return smtp.UsesPickupDirectory
                ? new PickupDirectoryTransport(Path.GetFullPath(smtp.PickupDirectory, environment.ContentRootPath))
                : new SmtpTransport(smtp);
        });

        // Order matters: start-up tasks (schema, keys, seeds) run before every other hosted service.
        services.AddHostedService<StartupTasks>();
        services.AddHostedService<ConfirmationMailer>();
        services.AddPaperSources(configuration);
        services.AddNewsletterScheduling(configuration);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = ErrorPages.DescribeValidationErrors);
        services.AddValidation();
        // A request the framework cannot bind (broken JSON, an unreadable form, a wrong content type)
        // reaches the exception handler with its reason, which the answer then gives.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<SchedulerHealthCheck>("scheduler");
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(SubscribePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<NewsletterOptions>>().Value.SubscribeLimitPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            options.OnRejected = (context, ct) => ErrorPages.WriteTooManyRequestsAsync(context.HttpContext, ct);
        });
        return services;
    }
}
