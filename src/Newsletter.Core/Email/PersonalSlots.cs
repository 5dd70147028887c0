using System.Diagnostics;
using System.Security.Cryptography;

namespace Newsletter.Core.Email;

/// <summary>
/// The places in a digest's rendering that differ per reader. <see cref="Paper"/> and
/// <see cref="PapersEnd"/> are not values but cuts: each pool paper starts at a Paper slot and the
/// last one ends at PapersEnd, so each reader's mail is assembled from the papers chosen for them.
/// </summary>
public enum SlotKind
{
    // One value per mail.
    Unsubscribe, Preferences, Preheader, Lede,

    // Where each paper's section starts, and where the last one ends.
    Paper, PapersEnd,

    // One value per paper in the mail.
    Rank, Why, More, Less,
}

public static class SlotKinds
{
    public static bool IsSectionCut(this SlotKind kind) => kind is SlotKind.Paper or SlotKind.PapersEnd;
}

/// <summary>
/// Where a template puts one reader's value. Razor writes a slot through <see cref="ToString"/>:
/// that emits the render's marker for the kind and counts the writing, so the rendered body can
/// be checked to hold the marker exactly as often as the template wrote it.
/// </summary>
[DebuggerDisplay("{Kind} slot, written {Written} times")]
public sealed class Slot
{
    private readonly string? _marker;

    internal Slot(SlotKind kind, string? marker) => (Kind, _marker) = (kind, marker);

    public SlotKind Kind { get; }

    public int Written { get; private set; }

    public override string ToString()
    {
        if (_marker is null) throw new InvalidOperationException($"This rendering has no personal values: the {Kind} slot cannot be written here.");
        Written++;
        return _marker;
    }
}

/// <summary>
/// The personal slots of one rendering. The marker is random and made when the digest is
/// rendered, after its outside data (papers) was fetched, so that data cannot hold it; a marker
/// found more often than the template wrote it fails the rendering.
/// </summary>
public sealed class PersonalSlots
{
    private readonly Slot[] _all;

    private PersonalSlots(string? marker)
    {
        Marker = marker;
        _all = Enum.GetValues<SlotKind>()
            .Select(kind => new Slot(kind, marker is null ? null : SlottedText.MarkerOf(marker, kind)))
            .ToArray();
    }

    /// <summary>Slots for a rendering that shows no personal values (the web view): writing one throws.</summary>
    public static PersonalSlots None { get; } = new(null);

    /// <summary>The marker shared by all renderings of one digest; stored with it for the send.</summary>
    public string? Marker { get; }

    public bool ArePersonal => Marker is not null;

    public Slot Unsubscribe => this[SlotKind.Unsubscribe];
    public Slot Preferences => this[SlotKind.Preferences];
    public Slot Preheader => this[SlotKind.Preheader];
    public Slot Lede => this[SlotKind.Lede];
    public Slot Paper => this[SlotKind.Paper];
    public Slot PapersEnd => this[SlotKind.PapersEnd];
    public Slot Rank => this[SlotKind.Rank];
    public Slot Why => this[SlotKind.Why];
    public Slot More => this[SlotKind.More];
    public Slot Less => this[SlotKind.Less];

    public Slot this[SlotKind kind] => _all[(int)kind];

    /// <summary>A marker no one can have guessed: letters and digits only, unchanged by HTML encoding, CSS inlining and quoted-printable.</summary>
    public static string NewMarker() => "slot" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Fresh slots (nothing written yet) for one rendering with <paramref name="marker"/>.</summary>
    public static PersonalSlots For(string marker) => new(SlottedText.CheckMarker(marker));

    /// <summary>
    /// Cuts a body rendered with these slots at each slot, refusing (with an exception) a body that
    /// holds a slot's marker more or less often than the template wrote it.
    /// </summary>
    public SlottedText Verify(string rendered)
    {
        if (Marker is null) throw new InvalidOperationException("A rendering without personal values has nothing to cut.");
        var cut = SlottedText.Cut(rendered, Marker);
        foreach (var slot in _all)
        {
            var found = cut.Count(slot.Kind);
            if (found != slot.Written)
                throw new InvalidOperationException(
                    $"The rendering holds the {slot.Kind} slot {found} times but the template wrote it {slot.Written} times: refusing a body whose personal links are not where the template put them.");
        }
        return cut;
    }
}
