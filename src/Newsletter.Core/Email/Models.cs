namespace Newsletter.Core.Email;

/// <summary>What every mail's footer and header need to know about the sender.</summary>
public sealed record SenderInfo(string Name, string PostalAddress, string BaseUrl);

public sealed record ConfirmationModel(SenderInfo Sender, string Email, string ConfirmUrl, int LinkValidDays);

/// <summary>A page that tells the visitor one thing: done, or what went wrong and what to do.</summary>
public sealed record MessagePage(SenderInfo Sender, string Title, string Heading, string Body, string? LinkUrl = null, string? LinkText = null);

public sealed record LandingPage(SenderInfo Sender, string? Notice = null);

public sealed record UnsubscribePage(SenderInfo Sender, string Email, string Token, bool AlreadyUnsubscribed);
