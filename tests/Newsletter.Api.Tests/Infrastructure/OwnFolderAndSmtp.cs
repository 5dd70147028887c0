namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// For tests that start and stop the service themselves (restarts, kills): a folder for its
/// database and an SMTP server on loopback, both for this test alone.
/// </summary>
public abstract class OwnFolderAndSmtp : IAsyncLifetime
{
    protected TempFolder Folder { get; } = new();

    protected TestSmtpServer Smtp { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Smtp = await TestSmtpServer.StartAsync();

    public virtual async Task DisposeAsync()
    {
        Smtp.Release();
        await Smtp.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }
}
