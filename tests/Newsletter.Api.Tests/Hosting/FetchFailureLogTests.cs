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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFetchFromAnUnreachableAddressIsExactlyOneWarningLine(bool withAppSettings)
    {
        if (withAppSettings) File.Copy(RepositoryFile("appsettings.json"), Path.Combine(Folder.Path, "appsettings.json"));

        var output = await OutputOfAFailedFetchAsync("http://127.0.0.1:9");

        AssertOneWarningAndNoStackTrace(output, "did not answer");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFetchFromAServerAnswering500IsExactlyOneWarningLine(bool withAppSettings)
    {
        if (withAppSettings) File.Copy(RepositoryFile("appsettings.json"), Path.Combine(Folder.Path, "appsettings.json"));
        await using var api = await FakeDailyPapersApi.StartAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        api.Plan(today, 0, [.. Enumerable.Repeat(FakeDailyPapersApi.Status(500), 20)]);

        var output = await OutputOfAFailedFetchAsync(api.BaseUrl);

        // Every try of the resilience pipeline reached the server; none of them was logged on its own.
        Assert.True(api.RequestsFor(today) > 1, "The fetch was not retried.");
        AssertOneWarningAndNoStackTrace(output, "answered 500");
    }

    /// <summary>
    /// The service's console when the fetch before the start-up digest fails, once the fetch's
    /// warning is printed and a later marker line shows that everything logged before it is there.
    /// Without appsettings.json the service's own defaults apply.
    /// </summary>
    private async Task<string[]> OutputOfAFailedFetchAsync(string baseUrl)
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["PaperSources:HuggingFace:Enabled"] = "true";
        settings["PaperSources:HuggingFace:BaseUrl"] = baseUrl;
        settings["PaperSources:HuggingFace:Cron"] = "0 0 3 1 1 ? 2099";
        settings["PaperSources:HuggingFace:RetryDelay"] = "00:00:00.050";
        settings["Digest:Cron"] = "0 0 0 * * ?";
        await using var service = await ServiceProcess.StartAsync(Folder.Path, settings);
        await service.WaitForOutputAsync(l => l.Contains("Could not refresh the papers of"));
        using var admin = service.AdminClient(NewsletterApp.AdminKey);
        await admin.PostAsync("/api/admin/papers", new StringContent("""[{"paper":{"title":"marker"}}]""", null, "application/json"));
        await service.WaitForOutputAsync(l => l.Contains("Skipped a Daily Papers item"));
        return service.Output.ToArray();
    }

    private static void AssertOneWarningAndNoStackTrace(string[] output, string reason)
    {
        var all = string.Join("\n", output);
        var fetchWarnings = output.Where(l => l.StartsWith("warn: Newsletter.Core.Scheduling.FetchBeforeDigest")).ToList();
        Assert.True(fetchWarnings.Count == 1, all);
        Assert.Single(output, l => l.Contains("Could not refresh the papers of") && l.Contains(reason));
        // The layers under the fetch (HttpClient, its resilience handler, Polly) add no line of their own.
        Assert.DoesNotContain(output, l => (l.StartsWith("warn:") || l.StartsWith("fail:") || l.StartsWith("crit:")) && !l.StartsWith("warn: Newsletter."));
        Assert.DoesNotContain(output, l => l.StartsWith("fail:") || l.StartsWith("crit:"));
        Assert.DoesNotContain(output, l => l.Contains("Polly") || l.Contains("System.Net.Http") || l.Contains("Exception") || l.TrimStart().StartsWith("at "));
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
