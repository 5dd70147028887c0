using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Admin;

public sealed class SubscriberImportTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task NewValidAddressesBecomeActiveInvalidRowsAreCountedAndKnownOnesAreLeftAsTheyAre()
    {
        // Someone who left, and someone who has not confirmed yet, are both in the operator's CSV.
        await App.SubscribeAndConfirmAsync("left-before@example.org");
        using (var client = App.CreatePublicClient())
        {
            var id = Tokens.SubscriberId(Mail.ConfirmLink(App.Smtp.MailTo("left-before@example.org")[0].Message));
            var token = App.Services.GetService(typeof(Newsletter.Core.Security.SubscriberTokens)) as Newsletter.Core.Security.SubscriberTokens;
            await client.PostAsync($"/unsubscribe?token={token!.CreateUnsubscribe(id)}", null);
        }
        await App.SubscribeAsync("not-yet-confirmed@example.org");

        const string csv = "name,Email,source\r\n" +
                           "Ada,imported-one@example.org,conference\r\n" +
                           "\"Lovelace, Ada\",\"imported-two@example.org\",web\r\n" +
                           "Bad,not-an-address,web\r\n" +
                           "Injected,\"evil@example.org\r\nBcc: x@example.org\",web\r\n" +
                           "Left,left-before@example.org,old list\r\n" +
                           "Pending,not-yet-confirmed@example.org,old list\r\n" +
                           "Twice,imported-one@example.org,duplicate\r\n";
        using var admin = App.CreateAdminClient();
        var response = await admin.PostAsync("/api/admin/subscribers/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("imported").GetInt32());
        Assert.True(body.GetProperty("skipped").GetInt32() >= 5);
        Assert.Equal("active", await App.StatusOfAsync("imported-one@example.org"));
        Assert.Equal("active", await App.StatusOfAsync("imported-two@example.org"));
        Assert.Equal("unsubscribed", await App.StatusOfAsync("left-before@example.org"));
        Assert.Equal("pending", await App.StatusOfAsync("not-yet-confirmed@example.org"));
        Assert.Null(await App.StatusOfAsync("not-an-address"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("address\r\nsomeone@example.org\r\n")]
    public async Task ACsvWithoutAnEmailColumnIsRefused(string csv)
    {
        using var admin = App.CreateAdminClient();
        var response = await admin.PostAsync("/api/admin/subscribers/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        response.AssertProblem(HttpStatusCode.BadRequest);
    }
}
