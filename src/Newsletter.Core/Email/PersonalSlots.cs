using System.Diagnostics;
using System.Security.Cryptography;

namespace Newsletter.Core.Email;

/// <summary>The values that differ per reader in a digest mail, each with its own slot.</summary>
public enum SlotKind { Unsubscribe }

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
    private PersonalSlots(string? marker)
    {
        Marker = marker;
        Unsubscribe = new Slot(SlotKind.Unsubscribe, marker is null ? null : SlottedText.MarkerOf(marker, SlotKind.Unsubscribe));
    }

    /// <summary>Slots for a rendering that shows no personal values (the web view): writing one throws.</summary>
    public static PersonalSlots None { get; } = new(null);

    /// <summary>The marker shared by all renderings of one digest; stored with it for the send.</summary>
    public string? Marker { get; }

    public Slot Unsubscribe { get; }

    private Slot[] All => [Unsubscribe];

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
        foreach (var slot in All)
        {
            var found = cut.Count(slot.Kind);
            if (found != slot.Written)
                throw new InvalidOperationException(
                    $"The rendering holds the {slot.Kind} slot {found} times but the template wrote it {slot.Written} times: refusing a body whose personal links are not where the template put them.");
        }
        return cut;
    }
}
