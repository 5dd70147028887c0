namespace Newsletter.Api.Hosting;

public static class NewsletterDefaults
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Listens on the contract's address unless --urls or ASPNETCORE_URLS says otherwise.</summary>
    public static WebApplicationBuilder UseNewsletterDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(DefaultUrl);
        return builder;
    }

    /// <summary>
    /// A product asset (templates, seed papers): the configured path, else the folder in the working
    /// directory (a clone run with dotnet run), else the copy shipped beside the binary.
    /// </summary>
    public static string ResolveAsset(string? configured, string contentRoot, string relative)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured, contentRoot);
        var inContentRoot = Path.Combine(contentRoot, relative);
        return Path.Exists(inContentRoot) ? inContentRoot : Path.Combine(AppContext.BaseDirectory, relative);
    }
}
