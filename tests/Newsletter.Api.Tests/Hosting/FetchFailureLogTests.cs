using System.Net;
using System.Text.RegularExpressions;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Hosting;

/// <summary>What an operator reads on the console when the Daily Papers API cannot be reached.</summary>
public sealed class FetchFailureLogTests : OwnFolderAndSmtp
{
    [Fact]
    public async Task AFailedFetchIsOneWarningLineWithAnIsoDateAndNoStackTrace()
    {
        // The service reads appsettings.json from its working folder, as when run from the clone.
        File.Copy(RepositoryFile("appsettings.json"), Path.Combine(Folder.Path, "appsettings.json"));
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["PaperSources:HuggingFace:Enabled"] = "true";
        settings["PaperSources:HuggingFace:BaseUrl"] = "http://127.0.0.1:9";
        settings["PaperSources:HuggingFace:Cron"] = "0 0 3 1 1 ? 2099";
        settings["PaperSources:HuggingFace:RetryDelay"] = "00:00:00.050";
        // Due every day since midnight: the start-up catch-up fetches today's list before the digest.
        settings["Digest:Cron"] = "0 0 0 * * ?";
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");

        await using var service = await ServiceProcess.StartAsync(Folder.Path, settings);
        var warning = await service.WaitForOutputAsync(l => l.Contains("Could not refresh the papers of"));
        using var admin = service.AdminClient(NewsletterApp.AdminKey);
        var fetch = await admin.PostAsync("/api/admin/papers/fetch", new StringContent($$"""{"date":"{{today}}"}""", null, "application/json"));
        Assert.Equal(HttpStatusCode.BadGateway, fetch.StatusCode);
        // A warning logged after the failed fetch: everything the fetch logged is printed before it.
        await admin.PostAsync("/api/admin/papers", new StringContent("""[{"paper":{"title":"marker"}}]""", null, "application/json"));
        await service.WaitForOutputAsync(l => l.Contains("Skipped a Daily Papers item"));

        var output = service.Output.ToArray();
        Assert.Contains($"Could not refresh the papers of {today} ", warning);
        Assert.Single(output, l => l.Contains("Could not refresh the papers of"));
        Assert.DoesNotContain(output, l => l.Contains("Polly") || l.Contains("System.Net.Http") || l.Contains("Exception") || l.TrimStart().StartsWith("at "));
        Assert.DoesNotContain(output, l => Regex.IsMatch(l, @"\b\d{2}/\d{2}/\d{4}\b"));
    }

    private static string RepositoryFile(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Newsletter.sln"))) return Path.Combine(folder.FullName, name);
        }
        throw new FileNotFoundException("No Newsletter.sln above " + AppContext.BaseDirectory);
    }
}
