namespace Newsletter.Core.Replies;

/// <summary>
/// One reply of a reader handled at a time in this process (striped by subscriber id, so the locks
/// stay few). Replies of one reader reach one instance in practice: the mailbox is read by one
/// instance at a time, and a pipe hands one message per delivery.
/// </summary>
public sealed class ReaderTurn : IAsyncDisposable
{
    private static readonly SemaphoreSlim[] Stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private readonly SemaphoreSlim _stripe;

    private ReaderTurn(SemaphoreSlim stripe) => _stripe = stripe;

    public static async Task<ReaderTurn> TakeAsync(long subscriberId, CancellationToken ct)
    {
        var stripe = Stripes[(int)((ulong)subscriberId % (ulong)Stripes.Length)];
        await stripe.WaitAsync(ct);
        return new ReaderTurn(stripe);
    }

    public ValueTask DisposeAsync()
    {
        _stripe.Release();
        return ValueTask.CompletedTask;
    }
}
