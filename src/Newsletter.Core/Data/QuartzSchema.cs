using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Newsletter.Core.Data;

/// <summary>
/// Quartz's clustered job store lives in the service's PostgreSQL database. Its tables are made
/// from the script Quartz ships inside Quartz.dll, once, by the migrator under its lock: Quartz's
/// own provisioning at start would race when several instances start together.
/// </summary>
internal static class QuartzSchema
{
    private const string Resource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    private const string TablePrefix = "qrtz_";

    private const string Exists = "SELECT to_regclass('qrtz_locks') IS NOT NULL";

    public static async Task EnsureAsync(DbConnection connection, ILogger logger, CancellationToken ct)
    {
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Exists, cancellationToken: ct))) return;
        var assembly = typeof(Quartz.IScheduler).Assembly;
        await using var stream = assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"Quartz.dll does not hold {Resource}; the job store's tables cannot be made.");
        using var reader = new StreamReader(stream);
        // The script names tables as {0}job_details (schema-qualified prefix) and indexes as
        // idx_{1}... (bare prefix); Quartz's default prefix, unqualified, is both.
        var script = (await reader.ReadToEndAsync(ct)).Replace("{0}", TablePrefix).Replace("{1}", TablePrefix);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(script, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        logger.LogInformation("Created Quartz's job store tables");
    }
}
