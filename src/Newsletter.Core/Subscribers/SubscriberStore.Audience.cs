using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

public sealed partial class SubscriberStore
{
    private const string AnyActiveReader = """
        SELECT EXISTS (SELECT 1 FROM subscribers
                       WHERE status = 'active' AND frequency = @frequency AND (@weekday IS NULL OR weekday = @weekday))
        """;

    /// <summary>Whether any active reader gets mail <paramref name="frequency"/> (on <paramref name="weekday"/>, when given).</summary>
    public async Task<bool> AnyActiveReaderAsync(DigestFrequency frequency, DayOfWeek? weekday, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(AnyActiveReader,
            new { frequency = frequency.ToStored(), weekday = weekday?.ToStored() }, cancellationToken: ct));
    }
}
