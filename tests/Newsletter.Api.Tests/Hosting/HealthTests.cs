using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Hosting;

/// <summary>/health says which database answers and what this instance's scheduler is doing, on either engine.</summary>
public sealed class HealthTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task HealthReportsTheDatabaseAndThisInstancesScheduler()
    {
        using var client = fixture.App.CreatePublicClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var database = health.GetProperty("database");
        Assert.Equal(TestDatabase.IsPostgres ? "Postgres" : "Sqlite", database.GetProperty("provider").GetString());
        Assert.True(database.GetProperty("schemaVersion").GetInt64() >= 8);
        var scheduler = health.GetProperty("scheduler");
        Assert.Equal("running", scheduler.GetProperty("state").GetString());
        // On PostgreSQL the job store is clustered: instances sharing the database fire each trigger once.
        Assert.Equal(TestDatabase.IsPostgres, scheduler.GetProperty("clustered").GetBoolean());
        Assert.False(string.IsNullOrEmpty(scheduler.GetProperty("sendInstanceId").GetString()));
    }
}
