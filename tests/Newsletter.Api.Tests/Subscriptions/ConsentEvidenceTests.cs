using Dapper;
using Microsoft.Data.Sqlite;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Subscriptions;

/// <summary>What the database keeps as proof of consent, read straight from the SQLite file.</summary>
public sealed class ConsentEvidenceTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task SubscriptionAndConfirmationKeepWhenHowAndFromWhichClient()
    {
        const string email = "evidence@example.org";
        using var client = fixture.App.CreatePublicClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("EvidenceTest/1.0");
        await client.PostAsync("/api/subscriptions", new StringContent($$"""{"email":"{{email}}"}""", System.Text.Encoding.UTF8, "application/json"));
        var mail = await fixture.Smtp.WaitForMailToAsync(email, "Confirm");
        using var browser = fixture.App.CreatePublicClient();
        browser.DefaultRequestHeaders.UserAgent.ParseAdd("MailClientBrowser/2.0");
        await browser.PostAsync(NewsletterApp.PathOf(Mail.ConfirmLink(mail.Message)), null);

        await using var db = await fixture.App.Database.OpenAsync();
        var row = await db.QuerySingleAsync(
            "SELECT status, subscribe_source, subscribe_user_agent, subscribed_at, confirm_user_agent, confirmed_at FROM subscribers WHERE email = @email",
            new { email });
        Assert.Equal("active", (string)row.status);
        Assert.Equal("api", (string)row.subscribe_source);
        Assert.Equal("EvidenceTest/1.0", (string)row.subscribe_user_agent);
        Assert.Equal("MailClientBrowser/2.0", (string)row.confirm_user_agent);
        Assert.True(DateTimeOffset.Parse((string)row.subscribed_at) <= DateTimeOffset.Parse((string)row.confirmed_at));

        var events = (await db.QueryAsync<string>(
            "SELECT e.event FROM consent_events e JOIN subscribers s ON s.id = e.subscriber_id WHERE s.email = @email ORDER BY e.id",
            new { email })).ToList();
        Assert.Equal(["subscribed", "confirmed"], events);
    }
}
