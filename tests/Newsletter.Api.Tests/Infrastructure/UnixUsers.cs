namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>Just enough of the system's user database for <see cref="DovecotServer"/>.</summary>
internal static class UnixUsers
{
    public static uint CurrentUid() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("Uid:")).Select(l => uint.Parse(l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1])).Single();

    public static string FirstExisting(params string[] names) =>
        names.FirstOrDefault(n => Entry(n) is not null) ?? throw new InvalidOperationException("None of these users exists: " + string.Join(", ", names));

    public static (string Uid, string Gid) Ids(string name) =>
        Entry(name) is { } fields ? (fields[2], fields[3]) : throw new InvalidOperationException($"No user {name} in /etc/passwd.");

    private static string[]? Entry(string name) =>
        File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 4 && f[0] == name);
}
