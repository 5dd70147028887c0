namespace Newsletter.Core.Ranking;

/// <summary>What ranking reads of a paper: the words a reader's topics and votes are compared with.</summary>
public sealed record PaperText(string Id, string Title, string Abstract, IReadOnlyList<string> Keywords);

/// <summary>A paper a digest may hold, with what the community thinks of it.</summary>
public sealed record PoolPaper(PaperText Text, long Upvotes, bool HasCode);

/// <summary>A reader's vote on a paper: +1 (more like this) or -1 (less like this).</summary>
public readonly record struct Vote(string PaperId, int Value);

/// <summary>One reader's preferences and votes, as the ranking needs them.</summary>
public sealed record ReaderTaste(
    IReadOnlyList<string> Topics,
    IReadOnlyList<string> MutedTopics,
    bool RequireCode,
    int MaxPapers,
    IReadOnlyList<Vote> Votes);

/// <summary>A chosen paper: its index in the pool and, when there is one, why this reader gets it.</summary>
public readonly record struct Pick(int Index, string? Why);
