using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Newsletter.Core.Data;

namespace Newsletter.Api.Hosting;

public sealed class DatabaseHealthCheck(Db db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations");
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}
