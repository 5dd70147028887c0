namespace Newsletter.Core.Delivery;

/// <summary>How one message ended.</summary>
public enum SendResult
{
    /// <summary>The relay took it.</summary>
    Sent,

    /// <summary>Refused for a passing reason (4xx, a broken connection) on every try: worth trying later.</summary>
    Deferred,

    /// <summary>Refused for good for this recipient (5xx at RCPT or DATA): the recipient's problem, not the relay's.</summary>
    Rejected,

    /// <summary>The message could not be built for this recipient: nothing was sent, the send goes on.</summary>
    Uncomposable,
}

public sealed record SendOutcome(SendResult Result, int Attempts, string? Reason, bool AtRecipient = false)
{
    /// <summary>What nearly every message ends as: one instance, not one per message.</summary>
    public static readonly SendOutcome SentAtFirstTry = new(SendResult.Sent, 1, null);

    /// <summary>
    /// Only what says the relay itself is in trouble counts against the send as a whole: not a
    /// recipient's server deferring at RCPT, which greylisting does to every reader of a domain the
    /// first time (those readers wait for a later round; the others go on).
    /// </summary>
    public bool CountsAgainstRelay => Result == SendResult.Deferred && !AtRecipient;
}
