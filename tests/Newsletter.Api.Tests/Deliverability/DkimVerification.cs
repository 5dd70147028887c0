using System.Diagnostics;
using System.Text.Json;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>What an independent verifier (dkimpy, Debian's python3-dkim) says of a message's DKIM signature.</summary>
public sealed record DkimVerdict(bool Verified, string? Error, string? AskedName, IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The signed header names (h=), lower-case.</summary>
    public IReadOnlyList<string> SignedHeaders =>
        Tags.TryGetValue("h", out var h) ? h.Split(':', StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToList() : [];
}

public static class DkimVerification
{
    private const string Python = "/usr/bin/python3";

    /// <summary>
    /// Verifies <paramref name="raw"/> as received, with <paramref name="txtRecord"/> given as the
    /// answer to the DNS lookup of the key.
    /// </summary>
    public static async Task<DkimVerdict> VerifyAsync(byte[] raw, string txtRecord, string folder)
    {
        var file = Path.Combine(folder, $"verify-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(file, raw);
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "dkim", "verify.py");
        var start = new ProcessStartInfo(Python, [script, file, txtRecord])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if ((await output).Trim() is not { Length: > 0 } json)
            throw new InvalidOperationException($"The verifier printed nothing (is python3-dkim installed?): {await errors}");
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var tags = root.GetProperty("tags").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        return new DkimVerdict(root.GetProperty("verified").GetBoolean(), root.GetProperty("error").GetString(),
            root.GetProperty("name").GetString(), tags);
    }
}
