namespace Newsletter.Api.Hosting.Commands;

/// <summary>
/// One-off commands run instead of the service (<c>dotnet run --project src/Newsletter.Api -- NAME ...</c>):
/// handled before the web host is built, so they need no port (copy-database reads the service's settings itself).
/// </summary>
public static class NewsletterCommands
{
    /// <returns>True when the arguments named a command and it ran (its exit code is set); false: run the service.</returns>
    public static bool TryRun(string[] args)
    {
        if (args.Length == 0) return false;
        Func<string[], int>? command = args[0] switch
        {
            DkimKeygenCommand.Name => DkimKeygenCommand.Run,
            CopyDatabaseCommand.Name => CopyDatabaseCommand.Run,
            _ => null,
        };
        if (command is null) return false;
        Environment.ExitCode = command(args[1..]);
        return true;
    }
}
