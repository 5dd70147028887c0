using System.Reflection;
using Microsoft.Extensions.DependencyModel;
using RazorLight;
using RazorLight.Compilation;

namespace Newsletter.Core.Email;

/// <summary>
/// Renders the Razor templates under templates/ (email/ and pages/). Plain-text templates
/// (<c>*.txt.cshtml</c>) are rendered without HTML encoding, so a '&amp;' in a title stays a '&amp;'
/// in the text part. Compiled templates are cached (<see cref="CompiledTemplateCache"/>): in memory,
/// and on disk when the folder names a cache. The compiler is made only when a template is missing
/// from the cache, so a process whose cache is warm never loads Roslyn.
/// </summary>
public sealed class TemplateRenderer
{
    private const string TextSuffix = ".txt.cshtml";

    // What templates may use: the models, the base library and RazorLight's page types. Leaving
    // the rest of the host's ~250 references out keeps the compiler's memory small.
    private static readonly string[] AllowedPrefixes =
        ["System", "netstandard", "mscorlib", "Microsoft.CSharp", "RazorLight", "Newsletter.Core", "Microsoft.AspNetCore.Html", "Microsoft.AspNetCore.Razor", "Microsoft.Extensions.Primitives"];

    private readonly RazorLightEngine _engine;
    private readonly TemplateFolder _folder;

    public TemplateRenderer(TemplateFolder folder)
    {
        _folder = folder;
        Cache = new CompiledTemplateCache(folder.Path, folder.CacheDirectory, folder.CompilationHost, typeof(TemplateRenderer).Assembly);
        var options = new RazorLightOptions { DisableEncoding = false, EnableDebugMode = false, CachingProvider = Cache };
        options.PreRenderCallbacks.Add(page =>
        {
            if (page.Key.EndsWith(TextSuffix, StringComparison.Ordinal)) page.DisableEncoding = true;
        });
        var compiler = new LazyCompiler(() => NewCompiler(folder, Cache));
        _engine = new RazorLightEngine(new EngineHandler(options, compiler, new TemplateFactoryProvider(), Cache));
    }

    public CompiledTemplateCache Cache { get; }

    /// <summary>Every template's key (email/Digest.cshtml, pages/_Layout.cshtml, ...).</summary>
    public IReadOnlyList<string> Keys =>
        Directory.EnumerateFiles(_folder.Path, "*.cshtml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(_folder.Path, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Whether every template is compiled in the cache folder.</summary>
    public bool IsWarm => _folder.CacheDirectory is not null && Keys.All(Cache.OnDisk);

    /// <summary>Compiles every template not yet in the cache (into its folder, when it has one).</summary>
    public async Task WarmAsync()
    {
        foreach (var key in Keys) await _engine.CompileTemplateAsync(key);
    }

    public Task<string> RenderHtmlAsync<TModel>(string key, TModel model) => _engine.CompileRenderAsync(key, model);

    public Task<string> RenderTextAsync<TModel>(string key, TModel model) =>
        key.EndsWith(TextSuffix, StringComparison.Ordinal)
            ? _engine.CompileRenderAsync(key, model)
            : throw new ArgumentException($"Plain-text templates end in {TextSuffix}.", nameof(key));

    /// <summary>
    /// RazorLight's compiler, with the references restricted, reporting each compiled assembly to
    /// the cache. Made from the builder, in its own method, so that only a cache miss loads it.
    /// </summary>
    private static IRazorTemplateCompiler NewCompiler(TemplateFolder folder, CompiledTemplateCache cache) =>
        new RazorLightEngineBuilder()
            .UseFileSystemProject(folder.Path)
            .UseCachingProvider(cache)
            .SetOperatingAssembly(folder.CompilationHost)
            .ExcludeAssemblies(NotNeeded(folder.CompilationHost))
            .Build()
            .Handler.Compiler;

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
/// <param name="CacheDirectory">Where compiled templates are kept between processes; null: in memory only.</param>
public sealed record TemplateFolder(string Path, Assembly CompilationHost, string? CacheDirectory = null);

/// <summary>Makes the real compiler on the first template that is not in the cache.</summary>
internal sealed class LazyCompiler(Func<IRazorTemplateCompiler> create) : IRazorTemplateCompiler
{
    private readonly Lazy<IRazorTemplateCompiler> _compiler = new(create);

    public ICompilationService CompilationService => _compiler.Value.CompilationService;

    public Task<CompiledTemplateDescriptor> CompileAsync(string templateKey) => _compiler.Value.CompileAsync(templateKey);
}
