using Newsletter.Core.Bounces;
using Newsletter.Core.Delivery;
using Newsletter.Core.Digests;
using Newsletter.Core.Options;
using Newsletter.Core.Scheduling;
using Quartz;

namespace Newsletter.Api.Hosting;

public static class SchedulingServices
{
    public static readonly JobKey DailyDigestKey = new("daily-digest", "digests");
    public static readonly JobKey FetchPapersKey = new("fetch-papers", "papers");
    public static readonly JobKey ReadBouncesKey = new("read-bounces", "bounces");
    public static readonly JobKey ReadRepliesKey = new("read-replies", "replies");
    public static readonly JobKey PrivacyRetentionKey = new("privacy-retention", "privacy");

    /// <summary>
    /// Quartz with its store in the service's database: in the SQLite file (schema created at start),
    /// or on PostgreSQL clustered, so that instances sharing the database fire each trigger once for
    /// all of them (schema made by the migrator). The daily
    /// digest at Digest:Cron in Digest:TimeZone, one send job per digest, and the bounce mailbox
    /// read at Bounces:Cron when Bounces:Imap:Host is set.
    /// </summary>
    public static IServiceCollection AddNewsletterScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        // Quartz declares its triggers while services are registered, before options exist; the
        // same section is validated at start through DigestOptions.
        var digest = configuration.GetSection(DigestOptions.Section).Get<DigestOptions>() ?? new DigestOptions();
        var connectionString = NewsletterDefaults.ConnectionString(configuration);
        var source = configuration.GetSection(HuggingFaceOptions.Section).Get<HuggingFaceOptions>() ?? new HuggingFaceOptions();
        var bounces = configuration.GetSection(BounceOptions.Section).Get<BounceOptions>() ?? new BounceOptions();
        var replies = configuration.GetSection(RepliesOptions.Section).Get<RepliesOptions>() ?? new RepliesOptions();
        var zone = digest.Zone;
        var postgres = NewsletterDefaults.Provider(configuration) == DatabaseProvider.Postgres;

        services.AddSingleton<IDigestDispatcher, QuartzDigestDispatcher>();
        services.AddSingleton<DailyDigest>();
        services.AddTransient<DailyDigestJob>();
        services.AddTransient<SendDigestJob>();
        services.AddSingleton<BounceMailbox>();
        services.AddTransient<ReadBouncesJob>();
        services.AddTransient<ReadRepliesJob>();
        services.AddTransient<PrivacyRetentionJob>();

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = "newsletter";
                // Each instance of a cluster needs an id of its own (host name and time).
                scheduler.GenerateInstanceId = postgres;
            });
            q.UsePersistentStore(store =>
            {
                if (postgres)
                {
                    store.UsePostgres(connectionString);
                    // A dead instance's triggers are recovered by the others after CheckinMisfireThreshold.
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = TimeSpan.FromSeconds(5);
                        cluster.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                    });
                }
                else
                {
                    store.UseSqlite(connectionString);
                    store.ProvisionSchema();
                }
                store.UseSystemTextJsonSerializer();
            });
            // A missed time is not fired late by Quartz: DigestStartup sends today's once, and
            // earlier days are skipped.
            AddCronJob<DailyDigestJob>(q, DailyDigestKey, digest.Cron, zone, CronTriggerMisfireInstruction.DoNothing);

            // With the source disabled nothing is scheduled, so nothing is fetched.
            if (source.Enabled && CronExpression.TryParse(source.Cron, out _))
                AddCronJob<FetchPapersJob>(q, FetchPapersKey, source.Cron, zone, CronTriggerMisfireInstruction.FireAndProceed);

            // A run missed while the service was down happens once at start; the mail waited anyway.
            if (bounces.Imap.Enabled && CronExpression.TryParse(bounces.Cron, out _))
                AddCronJob<ReadBouncesJob>(q, ReadBouncesKey, bounces.Cron, zone, CronTriggerMisfireInstruction.FireAndProceed);
            if (replies.Imap.Enabled && CronExpression.TryParse(replies.Cron, out _))
                AddCronJob<ReadRepliesJob>(q, ReadRepliesKey, replies.Cron, zone, CronTriggerMisfireInstruction.FireAndProceed);

            // A missed day is made up by the sweep at start (PrivacyStartup).
            AddCronJob<PrivacyRetentionJob>(q, PrivacyRetentionKey, PrivacyOptions.Cron, zone, CronTriggerMisfireInstruction.DoNothing);
        });
        // Before Quartz: hosted services stop in reverse order, so the lease outlives the sends that
        // Quartz's jobs finish at a stop (ended earlier, others would take over rows still in flight).
        services.AddHostedService<InstanceHeartbeat>();
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddHostedService<DigestStartup>();
        services.AddHostedService<PrivacyStartup>();
        // Only instances sharing a database (PostgreSQL) have sends of others to join.
        if (postgres) services.AddHostedService<SendJoiner>();
        services.AddSingleton<DueReadersSignal>();
        services.AddHostedService<DueReaders>();
        return services;
    }

    private static void AddCronJob<TJob>(IQuartzBuilder q, JobKey key, string cron, TimeZoneInfo zone, CronTriggerMisfireInstruction misfire)
        where TJob : IJob
    {
        q.AddJob<TJob>(job => job.WithIdentity(key).StoreDurably());
        q.AddTrigger<TJob>(trigger => trigger
            .ForJob(key)
            .WithIdentity(key.Name, key.Group)
            .WithSchedule(CronScheduleBuilder.Create(cron).InTimeZone(zone).WithMisfireInstruction(misfire)));
    }
}
