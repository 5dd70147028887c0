using System.Net;
using System.Net.Http.Headers;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Admin;

public sealed class AdminKeyGuessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task TenWrongKeysAMinuteFromOneAddressLockItOutEvenForTheRightKey()
    {
        using var admin = fixture.App.CreateAdminClient();
        using var guesser = fixture.App.CreatePublicClient();
        guesser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "guess-0123456789abcdef");

        // The operator's own requests are not guesses: only failures count.
        for (var i = 0; i < 15; i++)
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/subscribers?limit=1")).StatusCode);
        for (var i = 0; i < 10; i++)
            (await guesser.GetAsync("/api/admin/subscribers")).AssertProblem(HttpStatusCode.Unauthorized);

        var locked = await admin.GetAsync("/api/admin/subscribers");
        var lockedPost = await admin.PostAsync("/api/admin/papers", new StringContent("[]", System.Text.Encoding.UTF8, "application/json"));

        locked.AssertProblem(HttpStatusCode.TooManyRequests);
        lockedPost.AssertProblem(HttpStatusCode.TooManyRequests);
        var retryAfter = locked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }
}

/// <summary>The admin key, when configured, is long enough not to be guessed.</summary>
public sealed class AdminKeySettingTests : OwnFolderAndSmtp
{
    [Fact]
    public async Task AnAdminKeyShorterThanSixteenCharactersStopsTheStartNamingTheKey()
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["Newsletter:AdminApiKey"] = "fifteen-chars-x";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(Folder.Path, settings));

        Assert.Contains("AdminApiKey", error.Message);
        Assert.Contains("16", error.Message);
        Assert.DoesNotContain("Now listening", error.Message);
        Assert.DoesNotContain("   at ", error.Message);
    }

    [Fact]
    public async Task TheTestKeyOfTwentyFiveCharactersIsLongEnough()
    {
        Assert.Equal(25, NewsletterApp.AdminKey.Length);
        await using var service = await ServiceProcess.StartAsync(Folder.Path, ServiceProcess.Settings(Folder.Path, Smtp.Port));
        using var admin = service.AdminClient(NewsletterApp.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/subscribers")).StatusCode);
    }
}
