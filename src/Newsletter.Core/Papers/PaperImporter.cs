using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Newsletter.Core.Papers;

public sealed record PaperImport(int Imported, int Updated, IReadOnlyList<string> Skipped);

/// <summary>Reads a Daily Papers API payload and stores its papers: the one path for seeds, uploads and fetches.</summary>
public sealed class PaperImporter(PaperStore store, ILogger<PaperImporter> logger)
{
    /// <exception cref="JsonException">The body is not a JSON array of Daily Papers items; nothing is stored.</exception>
    public static List<DailyPaperItem?> Parse(ReadOnlySpan<byte> json) =>
        Items(JsonSerializer.Deserialize(json, DailyPapersJsonContext.Default.ListJsonElement));

    public static async Task<List<DailyPaperItem?>> ParseAsync(Stream json, CancellationToken ct) =>
        Items(await JsonSerializer.DeserializeAsync(json, DailyPapersJsonContext.Default.ListJsonElement, ct));

    /// <summary>
    /// Each element read on its own: one item of the wrong shape (upvotes as a string of letters, a
    /// title that is an object, a bare number) is null, skipped with the others the mapper cannot
    /// use, instead of failing the whole day's list.
    /// </summary>
    private static List<DailyPaperItem?> Items(List<JsonElement>? elements)
    {
        if (elements is null) throw new JsonException("The body is JSON null, not an array of papers.");
        var items = new List<DailyPaperItem?>(elements.Count);
        foreach (var element in elements)
        {
            try
            {
                items.Add(element.ValueKind == JsonValueKind.Object ? element.Deserialize(DailyPapersJsonContext.Default.DailyPaperItem) : null);
            }
            catch (JsonException)
            {
                items.Add(null);
            }
        }
        return items;
    }

    public async Task<PaperImport> StoreAsync(IEnumerable<DailyPaperItem?> items, DateOnly? listDate, CancellationToken ct)
    {
        var mapped = PaperMapper.Map(items, listDate);
        foreach (var reason in mapped.Skipped)
            logger.LogWarning("Skipped a Daily Papers item: {Reason}", reason);
        var (imported, updated) = await store.UpsertAsync(mapped.Papers, ct);
        return new PaperImport(imported, updated, mapped.Skipped);
    }

    /// <summary>Imports the seed file when the paper table is empty, so a fresh start has a day to send.</summary>
    public async Task ImportSeedIfEmptyAsync(string path, CancellationToken ct)
    {
        if (await store.CountAsync(ct) > 0) return;
        if (!File.Exists(path))
        {
            logger.LogWarning("No seed papers at {Path}; starting with an empty paper table", path);
            return;
        }
        await using var file = File.OpenRead(path);
        var result = await StoreAsync(await ParseAsync(file, ct), null, ct);
        logger.LogInformation("Imported {Count} seed papers from {Path}", result.Imported, path);
    }
}
