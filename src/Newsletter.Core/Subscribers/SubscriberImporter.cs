using System.Text;
using nietras.SeparatedValues;
using Newsletter.Core.Security;

namespace Newsletter.Core.Subscribers;

public sealed record ImportResult(int Imported, int Skipped);

/// <summary>The CSV has no header row with an "email" column.</summary>
public sealed class ImportFormatException(string message) : Exception(message);

/// <summary>
/// Imports subscribers from CSV (RFC 4180, a header row naming an "email" column). New valid
/// addresses become active with "import" as their consent source; invalid rows are skipped and
/// counted; known addresses are left exactly as they are, so an import never brings back someone who
/// left. The whole upload is read and checked before anything is written, then written at once: an
/// upload that breaks off or is refused as too large stores nothing.
/// </summary>
public sealed class SubscriberImporter(SubscriberStore store, AddressHashes hashes)
{
    private const string EmailColumn = "email";

    public async Task<ImportResult> ImportAsync(Stream csv, ConsentEvidence evidence, CancellationToken ct)
    {
        var (read, invalid) = await ReadAsync(csv, ct);
        var addresses = await WithoutSuppressedAsync(read, ct);
        var imported = await store.ImportActiveAsync(addresses, evidence, ct);
        return new ImportResult(imported, invalid + read.Count - imported);
    }

    /// <summary>An erased person is never brought back by a list: their address counts as skipped.</summary>
    private async Task<List<string>> WithoutSuppressedAsync(List<string> addresses, CancellationToken ct)
    {
        if (addresses.Count == 0 || !await store.AnySuppressedAsync(ct)) return addresses;
        var hashed = addresses.Select(a => (Address: a, Hash: hashes.Of(a))).ToList();
        var suppressed = await store.SuppressedAsync([.. hashed.Select(h => h.Hash).Distinct()], ct);
        return suppressed.Count == 0 ? addresses : [.. hashed.Where(h => !suppressed.Contains(h.Hash)).Select(h => h.Address)];
    }

    private static async Task<(List<string> Addresses, int Invalid)> ReadAsync(Stream csv, CancellationToken ct)
    {
        using var text = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        // A quoted field may hold commas and line breaks: it is one field of one row, never a row of its
        // own. The header is read as a row, since Sep's own header refuses repeated names, which
        // spreadsheets happily export ("note,note" or empty ones).
        using var reader = await Sep.New(',')
            .Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true })
            .FromAsync(text, ct);
        int? column = null;
        var addresses = new List<string>();
        var invalid = 0;
        await foreach (var row in reader.WithCancellation(ct))
        {
            if (column is null)
            {
                column = EmailColumnOf(row);
                continue;
            }
            if (row.ColCount == 1 && row[0].Span.IsEmpty) continue;
            var address = column < row.ColCount ? EmailAddress.Normalize(row[column.Value].ToString(), out _) : null;
            if (address is null) invalid++;
            else addresses.Add(address);
        }
        if (column is null) throw new ImportFormatException($"The CSV is empty; its first row must name an '{EmailColumn}' column.");
        return (addresses, invalid);
    }

    private static int EmailColumnOf(SepReader.Row header)
    {
        for (var i = 0; i < header.ColCount; i++)
            if (header[i].Span.Trim().Equals(EmailColumn, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ImportFormatException($"The CSV's first row must name an '{EmailColumn}' column.");
    }
}
