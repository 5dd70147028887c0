using System.Net;
using System.Text;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Hosting;

/// <summary>
/// The service's own process never loads the C# compiler: templates are compiled into the cache
/// folder by a child process on a cold start, and loaded from there on every start.
/// </summary>
public sealed class TemplateCompilationTests : OwnFolderAndSmtp
{
    private const string Compiler = "Microsoft.CodeAnalysis.CSharp.dll";

    [Fact]
    public async Task TheServiceRendersPagesAndDigestsWithoutEverMappingTheCompiler()
    {
        if (!OperatingSystem.IsLinux()) return; // reads /proc
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        var cache = Path.Combine(Folder.Path, "template-cache");

        await using (var cold = await ServiceProcess.StartAsync(Folder.Path, settings))
        {
            Assert.Contains(cold.Output, line => line.Contains("Templates compiled into " + cache));
            await RenderEverythingAsync(cold);
            Assert.DoesNotContain(Compiler, MappedFiles());
        }
        var compiled = Directory.GetFiles(cache, "*.dll");
        Assert.Equal(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "templates"), "*.cshtml", SearchOption.AllDirectories).Length,
            compiled.Length);

        await using var warm = await ServiceProcess.StartAsync(Folder.Path, settings);
        await RenderEverythingAsync(warm);
        Assert.DoesNotContain(warm.Output, line => line.Contains("Templates compiled"));
        Assert.DoesNotContain(Compiler, MappedFiles());
        Assert.Equal(compiled.Order(), Directory.GetFiles(cache, "*.dll").Order());
    }

    /// <summary>A page, a digest (mail and web view) and a confirmation mail.</summary>
    private static async Task RenderEverythingAsync(ServiceProcess service)
    {
        using var client = service.AdminClient(NewsletterApp.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        var digest = await client.PostAsync("/api/admin/digests", new StringContent("""{"date":"2026-05-20"}""", Encoding.UTF8, "application/json"));
        Assert.True(digest.IsSuccessStatusCode, await digest.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/digests/2026-05-20")).StatusCode);
        var subscribe = await client.PostAsync("/api/subscriptions", new StringContent("""{"email":"reader@example.org"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, subscribe.StatusCode);
    }

    /// <summary>The files mapped by this test's service: the process whose working folder is this test's.</summary>
    private string MappedFiles()
    {
        var service = Directory.EnumerateDirectories("/proc")
            .Where(dir => int.TryParse(Path.GetFileName(dir), out _))
            .Single(dir =>
            {
                try { return Directory.ResolveLinkTarget(Path.Combine(dir, "cwd"), false)?.FullName == Folder.Path; }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            });
        return File.ReadAllText(Path.Combine(service, "maps"));
    }
}
