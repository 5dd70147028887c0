using Npgsql;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>The settings each test app gets from the database this run chose (NEWSLETTER_TEST_DATABASE).</summary>
public sealed class TestDatabaseTests
{
    [Fact]
    public async Task EachAppGetsADatabaseOfItsOwnThatIsGoneAfterwards()
    {
        var folder = Directory.CreateTempSubdirectory("testdb-").FullName;
        try
        {
            var first = await TestDatabase.SettingsAsync(folder);
            var second = await TestDatabase.SettingsAsync(folder + "-other");

            if (!TestDatabase.IsPostgres)
            {
                Assert.Equal($"Data Source={Path.Combine(folder, "newsletter.db")}", first["ConnectionStrings:Newsletter"]);
                Assert.False(first.ContainsKey("Database:Provider"));
                return;
            }
            Assert.Equal("Postgres", first["Database:Provider"]);
            Assert.NotEqual(first["ConnectionStrings:Newsletter"], second["ConnectionStrings:Newsletter"]);
            await using (var connection = new NpgsqlConnection(first["ConnectionStrings:Newsletter"]))
                await connection.OpenAsync();

            await TestDatabase.DropAsync(first);
            await TestDatabase.DropAsync(second);

            await using var dropped = new NpgsqlConnection(first["ConnectionStrings:Newsletter"]);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => dropped.OpenAsync());
            Assert.Equal(PostgresErrorCodes.InvalidCatalogName, refused.SqlState);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
