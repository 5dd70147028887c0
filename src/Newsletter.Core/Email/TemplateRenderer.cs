using System.Reflection;
using Microsoft.Extensions.DependencyModel;
using RazorLight;

namespace Newsletter.Core.Email;

/// <summary>
/// Renders the Razor templates under templates/ (email/ and pages/). Plain-text templates
/// (<c>*.txt.cshtml</c>) are rendered without HTML encoding, so a '&amp;' in a title stays a '&amp;'
/// in the text part. Compiled templates are cached: only the first render of each pays for
/// compilation.
/// </summary>
public sealed class TemplateRenderer
{
    private const string TextSuffix = ".txt.cshtml";

    // What templates may use: the models, the base library and RazorLight's page types. Leaving
    // the rest of the host's ~250 references out keeps the compiler's memory small.
    private static readonly string[] AllowedPrefixes =
        ["System", "netstandard", "mscorlib", "Microsoft.CSharp", "RazorLight", "Newsletter.Core", "Microsoft.AspNetCore.Html", "Microsoft.AspNetCore.Razor", "Microsoft.Extensions.Primitives"];

    private readonly RazorLightEngine _engine;

    public TemplateRenderer(TemplateFolder folder)
    {
        _engine = new RazorLightEngineBuilder()
            .UseFileSystemProject(folder.Path)
            .UseMemoryCachingProvider()
            .SetOperatingAssembly(folder.CompilationHost)
            .ExcludeAssemblies(NotNeeded(folder.CompilationHost))
            .AddPrerenderCallbacks(page =>
            {
                if (page.Key.EndsWith(TextSuffix, StringComparison.Ordinal)) page.DisableEncoding = true;
            })
            .Build();
    }

    public Task<string> RenderHtmlAsync<TModel>(string key, TModel model) => _engine.CompileRenderAsync(key, model);

    public Task<string> RenderTextAsync<TModel>(string key, TModel model) =>
        key.EndsWith(TextSuffix, StringComparison.Ordinal)
            ? _engine.CompileRenderAsync(key, model)
            : throw new ArgumentException($"Plain-text templates end in {TextSuffix}.", nameof(key));

    private static string[] NotNeeded(Assembly host)
    {
        var context = DependencyContext.Load(host);
        if (context is null) return [];
        return context.CompileLibraries
            .SelectMany(library =>
            {
                try { return library.ResolveReferencePaths(); }
                catch (InvalidOperationException) { return []; }
            })
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(name => !AllowedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .Distinct()
            .ToArray();
    }
}

/// <summary>The folder holding email/ and pages/ templates.</summary>
/// <param name="CompilationHost">
/// An assembly built with PreserveCompilationContext: templates compile against its references.
/// </param>
public sealed record TemplateFolder(string Path, Assembly CompilationHost);
