namespace Newsletter.Core.Digests;

/// <summary>
/// Which readers a digest is for and which lists it draws from: the daily list of its date, or
/// the seven daily lists ending at its date (that day included) for weekly readers.
/// </summary>
public enum DigestEdition { Daily, Weekly }

public static class DigestEditions
{
    /// <summary>The first day whose list the digest draws from.</summary>
    public static DateOnly FirstDay(this DigestEdition edition, DateOnly date) =>
        edition == DigestEdition.Weekly ? date.AddDays(-6) : date;
}
