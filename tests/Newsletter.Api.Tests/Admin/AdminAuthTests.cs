using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Admin;

public sealed class AdminAuthTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic dGVzdA==")]
    [InlineData("Bearer test-admin-key-012345678")]
    public async Task AdminApiRefusesMissingOrWrongKey(string? authorization)
    {
        using var client = fixture.App.CreatePublicClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/subscribers");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.SendAsync(request);
        response.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SubscribersCanBeListedByStatus()
    {
        await fixture.App.SubscribeAndConfirmAsync("listed-active@example.org");
        await fixture.App.SubscribeAsync("listed-pending@example.org");
        using var admin = fixture.App.CreateAdminClient();

        var active = await admin.GetFromJsonAsync<JsonElement>("/api/admin/subscribers?status=active");
        var pending = await admin.GetFromJsonAsync<JsonElement>("/api/admin/subscribers?status=pending");

        var a = active.EnumerateArray().Single(s => s.GetProperty("email").GetString() == "listed-active@example.org");
        Assert.Equal("active", a.GetProperty("status").GetString());
        Assert.True(a.GetProperty("createdAt").GetDateTimeOffset() <= a.GetProperty("confirmedAt").GetDateTimeOffset());
        Assert.All(active.EnumerateArray(), s => Assert.Equal("active", s.GetProperty("status").GetString()));
        var p = pending.EnumerateArray().Single(s => s.GetProperty("email").GetString() == "listed-pending@example.org");
        Assert.Equal(JsonValueKind.Null, p.GetProperty("confirmedAt").ValueKind);

        var bad = await admin.GetAsync("/api/admin/subscribers?status=sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
