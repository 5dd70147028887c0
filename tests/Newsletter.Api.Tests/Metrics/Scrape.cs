using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Newsletter.Api.Tests.Metrics;

/// <summary>One /metrics answer, read the way Prometheus reads the text format.</summary>
public sealed partial class Scrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private Scrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var match = Sample().Match(line);
            Assert.True(match.Success, $"Not a sample line: {line}");
            var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            _samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    public static async Task<Scrape> FromAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Scrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds or a deadline passes, and returns the last
    /// scrape. The exporter serves a cached scrape for 300 ms (OpenTelemetry's default): a scrape
    /// right after another may show the counts of before, however much was counted since.
    /// </summary>
    public static async Task<Scrape> UntilAsync(HttpClient client, Func<Scrape, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var scrape = await FromAsync(client);
            if (done(scrape) || DateTime.UtcNow > deadline) return scrape;
            await Task.Delay(50);
        }
    }

    /// <summary>The value of the one series with that name and label; fails when it is missing.</summary>
    public double Value(string name, string? label = null, string? value = null)
    {
        var found = _samples.Where(s => s.Name == name && (label is null || s.Labels.GetValueOrDefault(label) == value)).ToList();
        Assert.True(found.Count == 1, $"Expected one {name}{{{label}=\"{value}\"}} in:\n{Text}");
        return found[0].Value;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
