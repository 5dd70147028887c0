using System.Net.Sockets;
using System.Text;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 written byte by byte over a socket, for requests no well-behaved client would send
/// (broken chunk framing, lying lengths). The request asks the server to close the connection,
/// so the whole answer is what arrives until it does.
/// </summary>
public static class RawHttp
{
    public static Task<RawResponse> SendAsync(Uri server, string method, string path, IEnumerable<string> headers, string body) =>
        SendAsync(server, method, path, headers, Encoding.UTF8.GetBytes(body));

    public static async Task<RawResponse> SendAsync(Uri server, string method, string path, IEnumerable<string> headers, byte[] body)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        var head = $"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n" +
                   string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        try
        {
            await stream.WriteAsync(body, timeout.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before it has read everything; its answer is still there.
        }

        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, timeout.Token);
        }
        catch (IOException)
        {
            // A reset after the answer: what arrived is the answer.
        }
        return RawResponse.Parse(Encoding.UTF8.GetString(answer.ToArray()));
    }
}

/// <summary>
/// A body too large to hold, sent chunked while the answer is read: a server that refuses it answers
/// and closes before the body ends, and the answer must be read before the connection is reset.
/// </summary>
public static class RawChunkedHttp
{
    public static async Task<RawResponse> SendAsync(Uri server, string path, IEnumerable<string> headers, Stream body)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        var answer = new MemoryStream();
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    lock (answer) answer.Write(buffer, 0, read);
                    answered.TrySetResult();
                }
            }
            catch (IOException)
            {
                // Reset after the answer: what arrived is the answer.
            }
            answered.TrySetResult();
        });

        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n" +
                   string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
            var chunk = new byte[64 * 1024];
            int n;
            while (!answered.Task.IsCompleted && (n = await body.ReadAsync(chunk, timeout.Token)) > 0)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"), timeout.Token);
                await stream.WriteAsync(chunk.AsMemory(0, n), timeout.Token);
                await stream.WriteAsync("\r\n"u8.ToArray(), timeout.Token);
            }
            if (!answered.Task.IsCompleted) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), timeout.Token);
        }
        catch (IOException)
        {
            // The server stopped reading; its answer is on the way.
        }
        await reading;
        return RawResponse.Parse(Encoding.UTF8.GetString(answer.ToArray()));
    }
}

public sealed record RawResponse(int Status, string Head, string Body)
{
    public static RawResponse Parse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"No HTTP answer arrived: '{text}'");
        var status = int.Parse(text.Split(' ', 3)[1]);
        return new RawResponse(status, text[..end], text[(end + 4)..]);
    }

    public string? Header(string name) => Head.Split("\r\n")
        .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
        .Select(line => line[(name.Length + 1)..].Trim())
        .FirstOrDefault();
}
