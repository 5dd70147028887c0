namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>As <see cref="OwnFolderAndSmtp"/>, with a local stand-in for the Daily Papers API of the test's own.</summary>
public abstract class OwnFolderSmtpAndPapersApi : OwnFolderAndSmtp
{
    protected FakeDailyPapersApi Api { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Api = await FakeDailyPapersApi.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await base.DisposeAsync();
    }
}
