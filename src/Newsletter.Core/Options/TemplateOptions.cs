namespace Newsletter.Core.Options;

/// <summary>Where compiled templates are kept and how they are compiled (issue 9: memory).</summary>
public sealed class TemplateOptions
{
    public const string Section = "Templates";

    /// <summary>Folder of compiled templates; empty means template-cache/ beside the SQLite database.</summary>
    public string? CachePath { get; set; }

    /// <summary>
    /// Compile missing templates in a short-lived child process at start, so the compiler's memory
    /// (about 100 MB at its peak) is never part of the service's own. false: on first use, in-process.
    /// </summary>
    public bool CompileInChildProcess { get; set; } = true;
}
