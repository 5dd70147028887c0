using MailKit.Security;

namespace Newsletter.Core.Options;

/// <summary>The one mapping of the configured security to MailKit's, for the relay and the mailbox alike.</summary>
public static class MailSecurity
{
    public static SecureSocketOptions ToMailKit(this SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
