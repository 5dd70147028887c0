using System.Runtime.InteropServices;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Gives back memory the process has freed but still holds, around a large send. Whatever ran
/// before it (an import of 100,000 readers, the digest's rendering) leaves the GC's emptied regions
/// and glibc's freed blocks behind, and the send's own growth comes on top; during the send, the
/// sending threads' glibc arenas keep what SQLite and OpenSSL free. In a 100,000 send the peak went
/// from about 207 to 192 MB with the call before the send, and to 189 MB with the trims during it
/// (bench/README.md, "Memory given back"), at the same speed.
/// </summary>
internal static class SendMemory
{
    /// <summary>Sends to fewer readers than this start as they are: a small send gains nothing worth a pause.</summary>
    public const long FromReaders = 1_000;

    /// <summary>
    /// Before a send of <paramref name="readers"/>: one compacting collection that returns its free
    /// regions to the system (a blocking pause of tens of milliseconds), then glibc's trim.
    /// </summary>
    public static void BeforeSend(long readers)
    {
        if (readers < FromReaders) return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        TrimNative();
    }

    /// <summary>Every few seconds while a send runs: glibc's trim alone, well under a millisecond.</summary>
    public static void DuringSend() => TrimNative();

    private static void TrimNative()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl gives freed memory back by itself): nothing to trim.
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
}
