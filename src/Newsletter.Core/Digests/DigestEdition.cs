namespace Newsletter.Core.Digests;

/// <summary>
/// Which readers a digest is for and which lists it draws from: the daily list of its date, or
/// the seven daily lists ending at its date (that day included) for weekly readers.
/// </summary>
public enum DigestEdition { Daily, Weekly }

public static class DigestEditions
{
    /// <summary>
    /// arXiv's first day: no list of papers, and so no digest, is older. A date before it is a
    /// typing slip (0026 for 2026), and a weekly digest's first day or the rising papers' look back
    /// would fall off the calendar near the year 1.
    /// </summary>
    public static readonly DateOnly FirstListDay = new(1991, 8, 14);

    /// <summary>The first day whose list the digest draws from.</summary>
    public static DateOnly FirstDay(this DigestEdition edition, DateOnly date) =>
        edition == DigestEdition.Weekly ? date.AddDays(-6) : date;
}
