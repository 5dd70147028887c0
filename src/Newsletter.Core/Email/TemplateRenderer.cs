using RazorLight;

namespace Newsletter.Core.Email;

/// <summary>
/// Renders the Razor templates under templates/ (email/ and pages/). Plain-text templates
/// (<c>*.txt.cshtml</c>) go through a second engine without HTML encoding, so a '&amp;' in a
/// title stays a '&amp;' in the text part. Compiled templates are cached: only the first render of
/// each pays for compilation.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly RazorLightEngine _html;
    private readonly RazorLightEngine _text;

    public TemplateRenderer(TemplateFolder folder)
    {
        _html = Build(folder, encode: true);
        _text = Build(folder, encode: false);
    }

    public Task<string> RenderHtmlAsync<TModel>(string key, TModel model) => _html.CompileRenderAsync(key, model);

    public Task<string> RenderTextAsync<TModel>(string key, TModel model) => _text.CompileRenderAsync(key, model);

    private static RazorLightEngine Build(TemplateFolder folder, bool encode)
    {
        var builder = new RazorLightEngineBuilder()
            .UseFileSystemProject(folder.Path)
            .UseMemoryCachingProvider()
            .SetOperatingAssembly(folder.CompilationHost);
        if (!encode) builder = builder.DisableEncoding();
        return builder.Build();
    }
}

/// <summary>The folder holding email/ and pages/ templates.</summary>
/// <param name="CompilationHost">
/// An assembly built with PreserveCompilationContext: templates compile against its references.
/// </param>
public sealed record TemplateFolder(string Path, System.Reflection.Assembly CompilationHost);
