using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;
using RazorLight;
using RazorLight.Caching;
using RazorLight.Compilation;
using RazorLight.Generation;
using RazorLight.Razor;

namespace Newsletter.Core.Email;

/// <summary>
/// Compiled templates, in memory and (given a folder) on disk. A template found on disk is loaded
/// from its DLL, so a process whose folder is warm renders without loading the Razor compiler or
/// Roslyn, whose memory would otherwise stay in the process (issue 9, bench/README.md).
/// </summary>
/// <remarks>
/// A file's name holds a hash of the template's text and of the assemblies it was compiled against,
/// so an edited template or a new build never meets an old DLL. Files are written under a temporary
/// name and renamed, so concurrent processes sharing the folder never read half a file.
/// RazorLight's own FileSystemCachingProvider does neither (it compares timestamps and writes in
/// place) and creates its pages without their key.
/// </remarks>
public sealed class CompiledTemplateCache : ICachingProvider, IPrecompileCallback
{
    private readonly string _templates;
    private readonly string? _directory;
    private readonly byte[] _build;
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private int _compiled;

    /// <param name="templates">The template folder.</param>
    /// <param name="directory">Where compiled templates are kept; null keeps them in memory only.</param>
    /// <param name="compiledAgainst">Assemblies whose change makes compiled templates stale.</param>
    public CompiledTemplateCache(string templates, string? directory, params Assembly[] compiledAgainst)
    {
        _templates = templates;
        _directory = directory;
        var identity = string.Join('|', compiledAgainst.Append(typeof(RazorLightEngine).Assembly)
            .Select(a => $"{a.GetName().Name}:{a.ManifestModule.ModuleVersionId}"));
        _build = Encoding.UTF8.GetBytes(identity);
    }

    /// <summary>The folder of compiled templates; null when they are kept in memory only.</summary>
    public string? Folder => _directory;

    /// <summary>Templates compiled by this process (not loaded from disk).</summary>
    public int Compiled => _compiled;

    /// <summary>Whether the folder holds an up-to-date compiled copy of the template.</summary>
    public bool OnDisk(string key) => FileOf(Normalize(key)) is { } file && File.Exists(file);

    public TemplateCacheLookupResult RetrieveTemplate(string key)
    {
        key = Normalize(key);
        var written = File.GetLastWriteTimeUtc(SourceOf(key));
        if (_entries.TryGetValue(key, out var entry) && entry.SourceWritten == written)
            return new TemplateCacheLookupResult(entry.Item);

        if (FileOf(key) is not { } file || !File.Exists(file)) return new TemplateCacheLookupResult();
        var type = Assembly.Load(File.ReadAllBytes(file)).GetCustomAttribute<RazorLightTemplateAttribute>()?.TemplateType;
        if (type is null) return new TemplateCacheLookupResult();
        var item = new TemplateCacheItem(key, () => NewPage(type, key));
        _entries[key] = new Entry(item, written);
        return new TemplateCacheLookupResult(item);
    }

    public void CacheTemplate(string key, Func<ITemplatePage> pageFactory, IChangeToken expirationToken)
    {
        key = Normalize(key);
        _entries[key] = new Entry(new TemplateCacheItem(key, pageFactory), File.GetLastWriteTimeUtc(SourceOf(key)));
    }

    public bool Contains(string key) => _entries.ContainsKey(Normalize(key)) || OnDisk(key);

    public void Remove(string key) => _entries.TryRemove(Normalize(key), out _);

    void IPrecompileCallback.Invoke(IGeneratedRazorTemplate generatedRazorTemplate, byte[] rawAssembly, byte[] rawSymbolStore)
    {
        Interlocked.Increment(ref _compiled);
        var key = Normalize(generatedRazorTemplate.TemplateKey);
        if (FileOf(key) is not { } file) return;
        Directory.CreateDirectory(_directory!);
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, rawAssembly);
        File.Move(temporary, file, overwrite: true);
        RemoveOlderCopies(key, file);
    }

    private static ITemplatePage NewPage(Type type, string key)
    {
        var page = (ITemplatePage)Activator.CreateInstance(type)!;
        page.Key = key;
        return page;
    }

    /// <summary>RazorLight's own form of a key: a leading '/', forward slashes.</summary>
    private static string Normalize(string key) => FileSystemRazorProjectHelper.NormalizeKey(key);

    private string SourceOf(string key) => Path.Combine(_templates, key.TrimStart('/'));

    private string? FileOf(string key)
    {
        if (_directory is null) return null;
        var source = SourceOf(key);
        if (!File.Exists(source)) return null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_build);
        hash.AppendData(Encoding.UTF8.GetBytes(key));
        hash.AppendData(File.ReadAllBytes(source));
        return Path.Combine(_directory, $"{Prefix(key)}{Convert.ToHexStringLower(hash.GetHashAndReset())[..20]}.dll");
    }

    private static string Prefix(string key) => key.TrimStart('/').Replace('/', '_') + ".";

    /// <summary>Copies for an earlier text or build would never be read again.</summary>
    private void RemoveOlderCopies(string key, string current)
    {
        foreach (var old in Directory.EnumerateFiles(_directory!, Prefix(key) + "*.dll"))
        {
            if (old == current || Path.GetFileName(old).Length != Path.GetFileName(current).Length) continue;
            try { File.Delete(old); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private sealed record Entry(TemplateCacheItem Item, DateTime SourceWritten);
}
