using Newsletter.Core.Email;

namespace Newsletter.Core.Tests.Email;

/// <summary>
/// Compiled templates kept on disk: a second renderer on the same folder renders without compiling,
/// and an edited template is compiled again.
/// </summary>
public sealed class CompiledTemplateCacheTests : OwnFolder
{
    private string Templates => Path.Combine(Folder, "templates");
    private string Cache => Path.Combine(Folder, "cache");

    public CompiledTemplateCacheTests()
    {
        Directory.CreateDirectory(Path.Combine(Templates, "mail"));
        File.WriteAllText(Path.Combine(Templates, "mail", "_Layout.cshtml"), "<main>@RenderBody()</main>");
        File.WriteAllText(Path.Combine(Templates, "mail", "_Part.cshtml"), "@model string\n<b>@Model</b>");
        File.WriteAllText(Path.Combine(Templates, "mail", "Page.cshtml"), """
            @model string
            @{ Layout = "mail/_Layout.cshtml"; }
            <p>Hello @Model</p>@{ await IncludeAsync("mail/_Part.cshtml", Model); }
            """);
        File.WriteAllText(Path.Combine(Templates, "mail", "Page.txt.cshtml"), "@model string\nHello & @Model");
    }

    private TemplateRenderer NewRenderer() =>
        new(new TemplateFolder(Templates, typeof(CompiledTemplateCacheTests).Assembly, Cache));

    private string[] CachedFiles() => Directory.GetFiles(Cache).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public async Task ASecondRendererOnTheSameFolderRendersFromDiskWithoutCompiling()
    {
        var first = NewRenderer();
        Assert.False(first.IsWarm);
        var html = await first.RenderHtmlAsync("mail/Page.cshtml", "A & B");
        var text = await first.RenderTextAsync("mail/Page.txt.cshtml", "A & B");
        Assert.Equal(4, first.Cache.Compiled);
        Assert.Equal(4, CachedFiles().Length);
        Assert.All(CachedFiles(), file => Assert.EndsWith(".dll", file));

        var second = NewRenderer();
        Assert.True(second.IsWarm);
        Assert.Equal(html, await second.RenderHtmlAsync("mail/Page.cshtml", "A & B"));
        Assert.Equal(text, await second.RenderTextAsync("mail/Page.txt.cshtml", "A & B"));
        Assert.Equal(0, second.Cache.Compiled);
        Assert.Contains("<main>", html);
        Assert.Contains("<b>A &amp; B</b>", html);
        Assert.Equal("Hello & A & B", text.Trim());
    }

    [Fact]
    public async Task AnEditedTemplateIsCompiledAgainAndReplacesItsOldCopy()
    {
        await NewRenderer().WarmAsync();
        var before = CachedFiles();
        File.WriteAllText(Path.Combine(Templates, "mail", "_Part.cshtml"), "@model string\n<i>@Model</i>");

        var next = NewRenderer();
        Assert.False(next.IsWarm);
        Assert.Contains("<i>edited</i>", await next.RenderHtmlAsync("mail/Page.cshtml", "edited"));
        Assert.Equal(1, next.Cache.Compiled);
        var after = CachedFiles();
        Assert.Equal(before.Length, after.Length);
        Assert.Single(after.Except(before), file => file.StartsWith("mail__Part.cshtml.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderersCompilingIntoOneFolderAtOnceLeaveOnlyWholeFiles()
    {
        var renderers = Enumerable.Range(0, 4).Select(_ => NewRenderer()).ToArray();
        var pages = await Task.WhenAll(renderers.Select(r => Task.Run(() => r.RenderHtmlAsync("mail/Page.cshtml", "x"))));

        Assert.Single(pages.Distinct());
        Assert.DoesNotContain(CachedFiles(), file => file.EndsWith(".tmp", StringComparison.Ordinal));
        var last = NewRenderer();
        Assert.Equal(pages[0], await last.RenderHtmlAsync("mail/Page.cshtml", "x"));
        Assert.Equal(0, last.Cache.Compiled);
    }
}
