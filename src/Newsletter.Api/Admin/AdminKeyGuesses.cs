using Newsletter.Api.Http;

namespace Newsletter.Api.Admin;

/// <summary>Wrong bearer keys for /api/admin (and /metrics): ten a minute from one address, then refused.</summary>
public sealed class AdminKeyGuesses() : WrongKeyCounter(PerMinute)
{
    public const int PerMinute = 10;
}
