namespace Newsletter.Core.Subscribers;

public static class SubscriberStatus
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string Unsubscribed = "unsubscribed";
    public const string Bounced = "bounced";

    public static readonly string[] All = [Pending, Active, Unsubscribed, Bounced];
}

public sealed class Subscriber
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string Status { get; init; } = "";
    public long ConsentVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public DateTimeOffset? UnsubscribedAt { get; init; }
}

/// <summary>Where a change of consent came from: kept with the subscriber and in its history.</summary>
public sealed record ConsentEvidence(string Source, string? Ip, string? UserAgent)
{
    public const string Form = "form";
    public const string Api = "api";
    public const string Import = "import";
}
