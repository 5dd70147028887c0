namespace Newsletter.Core.Email;

/// <summary>
/// A digest body cut at its section slots: the head, one section per pool paper (in pool order)
/// and the tail. A reader's mail is the head, the sections of the papers chosen for them, and the
/// tail. A body without section slots (a digest made before readers chose) is all head.
/// </summary>
public sealed class SlottedSections
{
    private SlottedSections(SlottedText head, IReadOnlyList<SlottedText> papers, SlottedText tail) =>
        (Head, Papers, Tail) = (head, papers, tail);

    public SlottedText Head { get; }

    public IReadOnlyList<SlottedText> Papers { get; }

    public SlottedText Tail { get; }

    public static SlottedSections Split(SlottedText body)
    {
        var sections = new List<SlottedText>();
        var pieces = new List<string> { body.Pieces[0] };
        var slots = new List<SlotKind>();
        var ended = false;
        for (var i = 0; i < body.Slots.Count; i++)
        {
            var kind = body.Slots[i];
            if (kind.IsSectionCut())
            {
                if (ended) throw new InvalidOperationException("The body goes on with papers after their end.");
                sections.Add(new SlottedText(pieces, slots));
                pieces = [];
                slots = [];
                ended = kind == SlotKind.PapersEnd;
            }
            else
            {
                slots.Add(kind);
            }
            pieces.Add(body.Pieces[i + 1]);
        }

        var last = new SlottedText(pieces, slots);
        if (sections.Count == 0) return new SlottedSections(last, [], new SlottedText([""], []));
        if (!ended) throw new InvalidOperationException("The body's papers have no end.");
        return new SlottedSections(sections[0], sections.Skip(1).ToList(), last);
    }
}
