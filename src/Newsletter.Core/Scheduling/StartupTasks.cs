using Microsoft.Extensions.Hosting;
using Newsletter.Core.Data;
using Newsletter.Core.Papers;
using Newsletter.Core.Security;

namespace Newsletter.Core.Scheduling;

/// <summary>
/// Runs before anything else starts (it is the first hosted service): the database lock, the
/// schema, the keys, and the seed papers, so that the scheduler, the senders and the HTTP server
/// find them in place, and never share the database with another instance.
/// </summary>
public sealed class StartupTasks(
    DatabaseLock databaseLock, Migrator migrator, SecretsBootstrap secrets, AppSecrets appSecrets, PaperImporter papers, SeedFile seed)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        databaseLock.Acquire();
        await migrator.MigrateAsync(cancellationToken);
        appSecrets.Set(await secrets.LoadSigningKeyAsync(cancellationToken), await secrets.LoadAdminKeyAsync(cancellationToken));
        await papers.ImportSeedIfEmptyAsync(seed.Path, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The paper file imported into an empty database.</summary>
public sealed record SeedFile(string Path);
