using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

public sealed partial class SubscriberStore
{
    // Answered from ix_subscribers_status alone: no table rows are read.
    private const string CountPerStatus = "SELECT status, count(*) AS count FROM subscribers GROUP BY status";

    /// <summary>How many subscribers are in each state, every state listed (0 when nobody is in it).</summary>
    public IReadOnlyDictionary<SubscriberStatus, long> CountByStatus()
    {
        using var connection = db.Open();
        var counts = Enum.GetValues<SubscriberStatus>().ToDictionary(s => s, _ => 0L);
        foreach (var (status, count) in connection.Query<(string, long)>(CountPerStatus))
        {
            if (StoredText.TryParse<SubscriberStatus>(status, out var known)) counts[known] = count;
        }
        return counts;
    }
}
