using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Newsletter.Core.Data;

namespace Newsletter.Api.Hosting;

/// <summary>The database answers a query; /health reports the engine and the schema version.</summary>
public sealed class DatabaseHealthCheck(Db db) : IHealthCheck
{
    private Dictionary<string, object> Data(long? version) => version is { } v
        ? new() { ["provider"] = db.Provider.ToString(), ["schemaVersion"] = v }
        : new() { ["provider"] = db.Provider.ToString() };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(ct);
            var version = await connection.ExecuteScalarAsync<long>("SELECT max(version) FROM schema_migrations");
            return HealthCheckResult.Healthy("The database answers.", Data(version));
        }
        catch (Exception)
        {
            // No exception in the report: the body of /health is public.
            return HealthCheckResult.Unhealthy("The database does not answer.", data: Data(null));
        }
    }
}
