namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>As <see cref="OwnFolderAndSmtp"/>, with a Dovecot IMAP server of the test's own for returned mail.</summary>
public abstract class OwnFolderSmtpAndMailbox : OwnFolderAndSmtp
{
    protected DovecotServer Mailbox { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Mailbox = await DovecotServer.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await Mailbox.DisposeAsync();
        await base.DisposeAsync();
    }
}
