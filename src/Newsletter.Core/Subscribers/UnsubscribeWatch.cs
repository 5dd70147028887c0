using System.Collections.Concurrent;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// Subscribers who left while this process runs. The sender reads the ledger in batches; checking
/// here right before each message (a dictionary look-up, not a query) keeps a send from reaching
/// someone who unsubscribed after their batch was read.
/// </summary>
public sealed class UnsubscribeWatch
{
    private readonly ConcurrentDictionary<long, byte> _left = new();

    public void Left(long subscriberId) => _left.TryAdd(subscriberId, 0);

    public bool HasLeft(long subscriberId) => !_left.IsEmpty && _left.ContainsKey(subscriberId);
}
