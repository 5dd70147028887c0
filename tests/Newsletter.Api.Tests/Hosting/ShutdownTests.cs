using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Options;

namespace Newsletter.Api.Tests.Hosting;

public sealed class ShutdownTests : OwnFolderAndSmtp
{
    [Theory]
    [InlineData("00:00:30")]
    [InlineData("00:02:00")]
    public async Task AStopWaitsLongerThanOneSmtpCommandMayTake(string smtpTimeout)
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?> { ["Smtp:Timeout"] = smtpTimeout });

        var shutdown = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        var command = app.Services.GetRequiredService<IOptions<SmtpOptions>>().Value.Timeout;

        Assert.True(shutdown > command, $"shutdown timeout {shutdown}, SMTP command timeout {command}");
    }
}
