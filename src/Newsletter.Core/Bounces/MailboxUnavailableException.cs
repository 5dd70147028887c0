namespace Newsletter.Core.Bounces;

/// <summary>The bounce mailbox could not be read (unreachable, refused the login, no such folder); the next run tries again.</summary>
public sealed class MailboxUnavailableException(string message, Exception inner) : Exception(message, inner);
