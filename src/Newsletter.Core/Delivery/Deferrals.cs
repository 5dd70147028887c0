namespace Newsletter.Core.Delivery;

/// <summary>
/// How long a message a server deferred waits before its next round. Greylisting asks for minutes,
/// not the seconds between one send's retries (most servers let a sender through after 1 to 15
/// minutes), so the waits are 5, 20, 80, 320 minutes and so on: past greylisting at the first,
/// past a full mailbox or a server's bad hour over the day.
/// </summary>
public static class Deferrals
{
    /// <summary>Rounds a digest waits for one reader, about seven hours in all; then it is failed.</summary>
    public const int MostForADigest = 4;

    public static TimeSpan Wait(long deferredBefore) => TimeSpan.FromMinutes(5 * Math.Pow(4, deferredBefore));
}
