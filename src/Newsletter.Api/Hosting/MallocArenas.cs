using System.Runtime.InteropServices;

namespace Newsletter.Api.Hosting;

/// <summary>
/// What <c>MALLOC_ARENA_MAX=2</c> does, set from inside the process. glibc gives a thread that
/// finds the allocator busy an arena of its own (up to eight per core) and keeps what each arena
/// freed. During a send every sending thread allocates natively (SQLite, OpenSSL's HMAC for the
/// signed links, the JIT's tier-1 work): a 100,000 send peaked 6 MB higher without this call, at
/// the same speed (bench/README.md, "Memory, again"). The runtime is started
/// before <c>Main</c>, too early for the service to set the variable itself; arenas made before
/// this call stay, later threads share. An operator's own <c>MALLOC_ARENA_MAX</c> wins.
/// </summary>
internal static class MallocArenas
{
    public const int Limit = 2;

    // glibc's malloc.h: M_ARENA_MAX.
    private const int ArenaMax = -8;

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return;
        try
        {
            mallopt(ArenaMax, Limit);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has its own allocator without arenas): nothing to limit.
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int param, int value);
}
