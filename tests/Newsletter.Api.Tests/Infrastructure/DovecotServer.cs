using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// A real IMAP server for tests: Debian's Dovecot, started in a temporary folder of its own with its
/// own configuration, on 127.0.0.1 and a free port, with one mail user. Works as root (CI) and as
/// an ordinary user.
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    public const string User = "bounces";
    public const string Password = "returned-mail-password";
    private const string Executable = "/usr/sbin/dovecot";

    private readonly string _folder = TemporaryFolder();
    private readonly string _greeting = "Test IMAP " + Guid.NewGuid().ToString("N") + " ready.";
    private readonly StringBuilder _output = new();
    private Process? _process;

    private DovecotServer() { }

    public int Port { get; private set; }

    public static async Task<DovecotServer> StartAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's dovecot-imapd (.ci/run does).");
        var server = new DovecotServer();
        try
        {
            server.WriteConfiguration();
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The service's settings for this mailbox; a different password for tests of a refused login.</summary>
    public Dictionary<string, string?> Settings(string password = Password) => new()
    {
        ["Bounces:Imap:Host"] = "127.0.0.1",
        ["Bounces:Imap:Port"] = Port.ToString(),
        ["Bounces:Imap:Security"] = "None",
        ["Bounces:Imap:Username"] = User,
        ["Bounces:Imap:Password"] = password,
    };

    /// <summary>Puts a message into the inbox as a mail server delivering it would; returns its UID.</summary>
    public async Task<UniqueId> DeliverAsync(MimeMessage message)
    {
        using var client = await ConnectAsync();
        var uid = await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None));
        await client.DisconnectAsync(true);
        return uid ?? throw new InvalidOperationException("Dovecot did not report the UID of the appended message.");
    }

    /// <summary>Every message in the inbox with its flags and keywords, as a mail client sees them.</summary>
    public async Task<IList<IMessageSummary>> InboxAsync()
    {
        using var client = await ConnectAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var all = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Envelope);
        await client.DisconnectAsync(true);
        return all;
    }

    public async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    /// <summary>Stops the server (the process and every child of it); the mail stays in its folder.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* the OS cleans temp */ }
    }

    private string ConfigPath => Path.Combine(_folder, "dovecot.conf");

    private string LogPath => Path.Combine(_folder, "dovecot.log");

    /// <summary>Binds a free port, releases it and starts Dovecot there; another process taking it first means another try.</summary>
    private async Task StartProcessAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            File.WriteAllText(ConfigPath, File.ReadAllText(ConfigPath + ".template").Replace("@PORT@", Port.ToString()));
            var start = new ProcessStartInfo(Executable, ["-F", "-c", ConfigPath])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + Executable);
            _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            if (await WaitUntilReadyAsync()) return;

            await _process.WaitForExitAsync();
            _process.Dispose();
            _process = null;
            var log = File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";
            if (attempt < 5 && log.Contains("Address already in use")) continue;
            lock (_output) throw new InvalidOperationException($"Dovecot did not start:\n{_output}\n{log}");
        }
    }

    /// <summary>True once our own server greets on the port; false when the process ended first.</summary>
    private async Task<bool> WaitUntilReadyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_process!.HasExited)
        {
            timeout.Token.ThrowIfCancellationRequested();
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
                using var reader = new StreamReader(tcp.GetStream());
                var greeting = await reader.ReadLineAsync(timeout.Token);
                if (greeting?.Contains(_greeting) == true) return true;
                // Someone else's server took the port between our release and Dovecot's bind.
                if (greeting is not null) return false;
            }
            catch (SocketException)
            {
                // Not listening yet: the master binds right after reading its configuration.
                await Task.WhenAny(_process.WaitForExitAsync(timeout.Token), Task.Delay(20, timeout.Token));
            }
        }
        return false;
    }

    /// <summary>
    /// A new temporary folder, in /tmp when the usual one would not do: as root the mail processes run
    /// as nobody and must reach the folder, and Dovecot's sockets in it have a short path limit.
    /// </summary>
    private static string TemporaryFolder()
    {
        var usual = Path.GetTempPath();
        var fits = usual.Length <= 40 && (UnixUsers.CurrentUid() != 0 || OpenToAll(usual));
        return fits ? Directory.CreateTempSubdirectory("dovecot-").FullName : Directory.CreateDirectory(Path.Combine("/tmp", "dovecot-" + Guid.NewGuid().ToString("N")[..12])).FullName;
    }

    private static bool OpenToAll(string folder)
    {
        if (!OperatingSystem.IsLinux()) return true;
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            if (!current.UnixFileMode.HasFlag(UnixFileMode.OtherExecute)) return false;
        }
        return true;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The configuration (with @PORT@ left for each start) and the user file. As root, Dovecot's
    /// own processes run as its unprivileged users and the mail belongs to nobody, so the folder
    /// is opened up for them; as an ordinary user everything runs as that user.
    /// </summary>
    private void WriteConfiguration()
    {
        var mail = Directory.CreateDirectory(Path.Combine(_folder, "mail")).FullName;
        var asRoot = UnixUsers.CurrentUid() == 0;
        var (loginUser, internalUser, mailUser) = asRoot
            ? (UnixUsers.FirstExisting("dovenull", "nobody"), UnixUsers.FirstExisting("dovecot", "nobody"), "nobody")
            : (Environment.UserName, Environment.UserName, Environment.UserName);
        var (uid, gid) = UnixUsers.Ids(mailUser);
        if (asRoot && OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            // Sticky and writable by all, like /tmp: the user's maildir is created by the mail process.
            File.SetUnixFileMode(mail, (UnixFileMode)0b1_111_111_111);
        }
        var users = Path.Combine(_folder, "users");
        File.WriteAllText(users, $"{User}:{{PLAIN}}{Password}:{uid}:{gid}::{mail}/{User}::\n");
        File.WriteAllText(ConfigPath + ".template", $$"""
            base_dir = {{_folder}}/run
            state_dir = {{_folder}}/state
            log_path = {{LogPath}}
            ssl = no
            protocols = imap
            listen = 127.0.0.1
            login_greeting = {{_greeting}}
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            default_login_user = {{loginUser}}
            default_internal_user = {{internalUser}}
            first_valid_uid = 1
            mail_location = maildir:{{mail}}/%u
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{users}}
            }
            userdb {
              driver = passwd-file
              args = username_format=%u {{users}}
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = @PORT@
              }
              inet_listener imaps {
                port = 0
              }
            }

            """);
    }
}
