using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Security;

namespace Newsletter.Api.Tests.Privacy;

/// <summary>What the database holds about an address, read through the service's own database access.</summary>
public static class PrivacyQueries
{
    public static async Task<long> SuppressedCountAsync(this NewsletterApp app, string email)
    {
        var hash = app.Services.GetRequiredService<AddressHashes>().Of(email);
        await using var connection = await app.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM suppressions WHERE address_hash = @hash", new { hash });
    }

    public static async Task<List<string>> ConsentEventsAsync(this NewsletterApp app, string email)
    {
        await using var connection = await app.Database.OpenAsync();
        return (await connection.QueryAsync<string>(
            "SELECT e.event FROM consent_events e JOIN subscribers s ON s.id = e.subscriber_id WHERE s.email = @email ORDER BY e.id",
            new { email })).ToList();
    }
}
