using Dapper;
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

    [Fact]
    public async Task AQuotedFieldSpanningLinesKeepsItsRowAndNothingInsideItIsImported()
    {
        const string csv = "email,note\r\n" +
                           "multiline-real@example.org,\"Met at the conference.\r\n" +
                           "multiline-injected@example.org,someone else\r\n" +
                           "Call back later.\"\r\n" +
                           "multiline-after@example.org,plain\r\n";
        using var admin = App.CreateAdminClient();

        var response = await admin.PostAsync("/api/admin/subscribers/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("imported").GetInt32());
        Assert.Equal(0, body.GetProperty("skipped").GetInt32());
        Assert.Equal("active", await App.StatusOfAsync("multiline-real@example.org"));
        Assert.Equal("active", await App.StatusOfAsync("multiline-after@example.org"));
        Assert.Null(await App.StatusOfAsync("multiline-injected@example.org"));
    }

    [Theory]
    [InlineData("email,,\nrepeated-empty@example.org,,\n", "repeated-empty@example.org")]
    [InlineData("note,note,email\na,b,repeated-name@example.org\n", "repeated-name@example.org")]
    [InlineData("email,note\nunclosed-quote@example.org,\"never closed\n", "unclosed-quote@example.org")]
    public async Task ARoughButReadableCsvIsImported(string csv, string email)
    {
        using var admin = App.CreateAdminClient();

        var response = await admin.PostAsync("/api/admin/subscribers/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("active", await App.StatusOfAsync(email));
    }

    [Fact]
    public async Task AByteOrderMarkAndAnEmailHeaderInAnyCaseAreFine()
    {
        var csv = "\uFEFFName, EMAIL \nBom,bom-first@example.org\n\n";
        using var admin = App.CreateAdminClient();

        var response = await admin.PostAsync("/api/admin/subscribers/import", new StringContent(csv, new System.Text.UTF8Encoding(false), "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
        Assert.Equal("active", await App.StatusOfAsync("bom-first@example.org"));
    }
}

/// <summary>The CSV limit, on real Kestrel, which counts the bytes of a body without a declared length.</summary>
public sealed class SubscriberImportLimitTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    [Fact]
    public async Task AnImportOverSixtyFourMebibytesIsRefusedWith413AndStoresNothing()
    {
        var response = await RawChunkedHttp.SendAsync(fixture.App.ListeningAddress, "/api/admin/subscribers/import",
            ["Content-Type: text/csv", $"Authorization: Bearer {NewsletterApp.AdminKey}"], new GeneratedCsv(rows: 70_000));

        Assert.Equal(413, response.Status);
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        await using var db = await fixture.App.Database.OpenAsync();
        Assert.Equal(0L, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM subscribers WHERE email LIKE 'flood-%'"));
    }

    /// <summary>A header and then <c>flood-0000001@example.org</c> and on with a 1,000-character note, made as it is read.</summary>
    private sealed class GeneratedCsv(int rows) : Stream
    {
        private static readonly string Note = new('n', 1000);

        private int _row = -1;
        private byte[] _pending = [];
        private int _offset;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (++_row > rows) return 0;
                _pending = System.Text.Encoding.ASCII.GetBytes(_row == 0 ? "email,note\n" : $"flood-{_row:0000000}@example.org,{Note}\n");
                _offset = 0;
            }
            var n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
