using System.Text;

namespace Newsletter.Core.Email;

/// <summary>
/// A rendered body cut at its personal slots: <see cref="Pieces"/> holds the text around them
/// (one more piece than slots) and <see cref="Slots"/> which kind goes between each two pieces.
/// Only the marker of the body's own rendering is cut at; any other text is left as it is.
/// </summary>
public sealed class SlottedText
{
    /// <summary>
    /// Where digests made before migration 0003 put the unsubscribe link (a fixed text, which
    /// outside data could hold too). Those digests are still sent from their stored rendering.
    /// </summary>
    public const string LegacyMarker = "https://unsubscribe.invalid/__NEWSLETTER_UNSUBSCRIBE__";

    private static readonly (SlotKind Kind, string Suffix)[] Suffixes = Enum.GetValues<SlotKind>()
        .Select(kind => (kind, Suffix(kind)))
        .OrderByDescending(s => s.Item2.Length)
        .ToArray();

    internal SlottedText(IReadOnlyList<string> pieces, IReadOnlyList<SlotKind> slots) => (Pieces, Slots) = (pieces, slots);

    public IReadOnlyList<string> Pieces { get; }

    public IReadOnlyList<SlotKind> Slots { get; }

    /// <summary>The text a slot of <paramref name="kind"/> stands as in a rendering with <paramref name="marker"/>.</summary>
    public static string MarkerOf(string marker, SlotKind kind) => marker + Suffix(kind);

    public int Count(SlotKind kind) => Slots.Count(s => s == kind);

    /// <summary>Cuts <paramref name="body"/> at every occurrence of <paramref name="marker"/>; a marker followed by no known kind is refused.</summary>
    public static SlottedText Cut(string body, string marker)
    {
        CheckMarker(marker);
        var pieces = new List<string>();
        var slots = new List<SlotKind>();
        var start = 0;
        for (var at = body.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = body.IndexOf(marker, start, StringComparison.Ordinal))
        {
            var (kind, length) = marker == LegacyMarker ? (SlotKind.Unsubscribe, marker.Length) : KindAt(body, at, marker.Length);
            pieces.Add(body[start..at]);
            slots.Add(kind);
            start = at + length;
        }
        pieces.Add(body[start..]);
        return new SlottedText(pieces, slots);
    }

    /// <summary>The body with each slot's value in place (values are inserted as given: encode them for the body's format first).</summary>
    public string Fill(Func<SlotKind, string> valueOf)
    {
        var result = new StringBuilder(Pieces[0]);
        for (var i = 0; i < Slots.Count; i++) result.Append(valueOf(Slots[i])).Append(Pieces[i + 1]);
        return result.ToString();
    }

    internal static string CheckMarker(string marker) =>
        string.IsNullOrEmpty(marker) ? throw new ArgumentException("A slot marker is never empty.", nameof(marker)) : marker;

    private static (SlotKind Kind, int Length) KindAt(string body, int at, int markerLength)
    {
        var rest = body.AsSpan(at + markerLength);
        foreach (var (kind, suffix) in Suffixes)
        {
            if (rest.StartsWith(suffix, StringComparison.Ordinal)) return (kind, markerLength + suffix.Length);
        }
        throw new InvalidOperationException($"The slot marker at {at} names no known kind of personal value.");
    }

    private static string Suffix(SlotKind kind) => "-" + kind.ToString().ToLowerInvariant();
}
