using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MimeKit;
using Newsletter.Core.Options;

namespace Newsletter.Core.Delivery;

/// <summary>MailKit against the configured relay; one <see cref="SmtpClient"/> per connection.</summary>
public sealed class SmtpTransport(SmtpOptions options) : IMailTransport
{
    public async Task<IMailConnection> ConnectAsync(CancellationToken ct)
    {
        var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        try
        {
            // Nagle's algorithm holds back the final ".\r\n" of each message until the server's delayed
            // ACK (~40 ms): with digest-sized messages that caps one connection at ~23 messages/s.
            var socket = await OpenSocketAsync(options.Host!, options.Port, ct);
            await client.ConnectAsync(socket, options.Host!, options.Port, options.Security.ToMailKit(), ct);
            if (!string.IsNullOrEmpty(options.Username))
                await client.AuthenticateAsync(options.Username, options.Password ?? "", ct);
            // With SIZE advertised MailKit serialises every message twice, once only to measure it.
            // The SIZE parameter is optional; a relay still enforces its limit on DATA.
            client.Capabilities &= ~SmtpCapabilities.Size;
            return new Connection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<Socket> OpenSocketAsync(string host, int port, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(host, ct);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, port, ct);
                return socket;
            }
            catch (SocketException e)
            {
                last = e;
                socket.Dispose();
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private sealed class Connection(SmtpClient client) : IMailConnection
    {
        public bool IsUsable => client.IsConnected;

        public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
        {
            // The return path is the envelope's alone: From stays as it is, and the headers as signed.
            if (mail.ReturnPath is null) await client.SendAsync(mail.Message, ct);
            else await client.SendAsync(mail.Message, mail.ReturnPath, mail.Message.To.Mailboxes, ct);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected) await client.DisconnectAsync(true);
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException or OperationCanceledException)
            {
                // The connection is being dropped anyway; QUIT failing changes nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
