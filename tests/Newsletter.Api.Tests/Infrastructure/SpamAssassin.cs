using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// Debian's SpamAssassin, run on a mail's raw bytes with local tests only (<c>-L</c>: no DNS
/// blocklists, no network). The site rules and plugins are the installed ones (/etc/spamassassin,
/// /usr/share/spamassassin), untouched; everything SpamAssassin would write for a user (HOME,
/// preferences, Bayes and reputation files) goes into a temporary folder removed afterwards.
/// </summary>
public static partial class SpamAssassin
{
    public static string Executable => Environment.GetEnvironmentVariable("SPAMASSASSIN") ?? "/usr/bin/spamassassin";

    /// <summary>Scores one mail as received and returns the verdict with every rule that hit.</summary>
    public static async Task<SpamVerdict> CheckAsync(byte[] raw)
    {
        var home = Directory.CreateTempSubdirectory("newsletter-spamassassin-").FullName;
        try
        {
            var state = Path.Combine(home, ".spamassassin");
            Directory.CreateDirectory(state);
            var prefs = Path.Combine(state, "user_prefs");
            await File.WriteAllTextAsync(prefs, "");
            var start = new ProcessStartInfo(Executable,
            [
                "-L", "-t", "-x", "-p", prefs,
                // The rules' debug lines name the text each rule matched (on standard error): a
                // rule that hits once in many runs can then be traced to what it saw.
                "-D", "rules",
                // User state stays in the temporary folder even if a plugin that keeps state is enabled.
                "--cf", $"bayes_path {Path.Combine(state, "bayes")}",
                "--cf", $"auto_welcomelist_path {Path.Combine(state, "auto-welcomelist")}",
            ])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = home,
            };
            start.Environment["HOME"] = home;
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardInput.BaseStream.WriteAsync(raw);
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            return Parse(await output, await errors);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Reads the X-Spam-Status header (the total) and the report's table (each rule's points).</summary>
    internal static SpamVerdict Parse(string output, string errors)
    {
        var status = Status().Match(output);
        if (!status.Success) throw new InvalidOperationException($"SpamAssassin gave no X-Spam-Status header.\n{errors}\n{output}");
        var score = double.Parse(status.Groups["score"].Value, CultureInfo.InvariantCulture);
        var names = Regex.Replace(status.Groups["tests"].Value, @"\s+", "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Where(n => n != "none").ToHashSet();
        var rules = ReportLine().Matches(output)
            .Where(m => names.Contains(m.Groups["name"].Value))
            .DistinctBy(m => m.Groups["name"].Value)
            .Select(m => new SpamRule(m.Groups["name"].Value, double.Parse(m.Groups["points"].Value, CultureInfo.InvariantCulture), m.Groups["what"].Value.Trim()))
            .ToList();
        // A rule whose line the report did not show still counts: it is named with no points.
        rules.AddRange(names.Where(n => rules.All(r => r.Name != n)).Select(n => new SpamRule(n, double.NaN, "")));
        var matched = Hit().Matches(errors)
            .Where(m => names.Contains(m.Groups["name"].Value))
            .Select(m => $"{m.Groups["name"].Value}: {m.Groups["text"].Value}")
            .Distinct()
            .ToList();
        return new SpamVerdict(score, rules, matched);
    }

    [GeneratedRegex(@"^X-Spam-Status: \w+, score=(?<score>-?[\d.]+) required=[\d.]+\s+tests=(?<tests>[\s\S]*?)\s+autolearn=", RegexOptions.Multiline)]
    private static partial Regex Status();

    [GeneratedRegex(@"^\s*(?<points>-?\d+\.\d+)\s+(?<name>[A-Z][A-Z0-9_]+)\s+(?<what>.*)$", RegexOptions.Multiline)]
    private static partial Regex ReportLine();

    // dbg: rules: ran body rule FUZZY_BITCOIN ======> got hit: "..."
    [GeneratedRegex(@"rules: ran \w+ rule (?<name>[A-Z][A-Z0-9_]+) =+> got hit: (?<text>.*)$", RegexOptions.Multiline)]
    private static partial Regex Hit();
}

public sealed record SpamRule(string Name, double Points, string Description);

/// <param name="Matched">What each rule that hit matched, from SpamAssassin's debug lines ("RULE: text").</param>
public sealed record SpamVerdict(double Score, IReadOnlyList<SpamRule> Rules, IReadOnlyList<string>? Matched = null)
{
    public override string ToString()
    {
        var text = new StringBuilder(FormattableString.Invariant($"score {Score}"));
        foreach (var rule in Rules.OrderByDescending(r => r.Points))
            text.Append(FormattableString.Invariant($"\n  {rule.Points,5:0.0} {rule.Name}  {rule.Description}"));
        foreach (var hit in Matched ?? [])
            text.Append("\n  matched ").Append(hit);
        return text.ToString();
    }
}
