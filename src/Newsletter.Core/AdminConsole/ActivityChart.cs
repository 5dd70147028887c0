using System.Globalization;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.AdminConsole;

/// <summary>
/// The dashboard's chart as SVG geometry: one line per kind of change over the days given. Only
/// numbers and dates reach the markup, so the template can write it without outside text.
/// </summary>
public sealed record ActivityChart(IReadOnlyList<ActivityDay> Days, long Max, string Confirmed, string Unsubscribed, string Bounced)
{
    public const int Width = 600;
    public const int Height = 160;
    private const int Pad = 4;

    public static ActivityChart From(IReadOnlyList<ActivityDay> days)
    {
        // At least 1: a month without changes draws its lines along the bottom.
        var max = Math.Max(1, days.Count == 0 ? 0 : days.Max(d => Math.Max(d.Confirmed, Math.Max(d.Unsubscribed, d.Bounced))));
        return new ActivityChart(days, max,
            Points(days, max, d => d.Confirmed), Points(days, max, d => d.Unsubscribed), Points(days, max, d => d.Bounced));
    }

    private static string Points(IReadOnlyList<ActivityDay> days, long max, Func<ActivityDay, long> value) =>
        string.Join(' ', days.Select((day, i) =>
        {
            var x = days.Count == 1 ? Width / 2.0 : Pad + i * (Width - 2.0 * Pad) / (days.Count - 1);
            var y = Height - Pad - value(day) * (Height - 2.0 * Pad) / max;
            return string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}");
        }));
}
