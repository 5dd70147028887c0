using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Newsletter.Api.AdminConsole;

/// <summary>
/// The console's open sessions. The cookie alone would stay valid until it expires even after
/// sign-out, so a copy of it (a shared machine, a proxy log) would still open the console; a
/// session counts only while it is listed here. Held in memory: a restart signs everyone out,
/// which for one operator's console costs one sign-in.
/// </summary>
public sealed class ConsoleSessions(TimeProvider clock)
{
    public const string Claim = "console-session";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _open = new();

    /// <summary>A new session's identity, listed until it expires or is ended.</summary>
    public ClaimsPrincipal Open(DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        foreach (var (old, until) in _open)
            if (until <= now) _open.TryRemove(old, out _);
        var id = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        _open[id] = expires;
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim(Claim, id)], ConsoleAuth.Scheme));
    }

    public void End(ClaimsPrincipal user)
    {
        if (user.FindFirst(Claim)?.Value is { } id) _open.TryRemove(id, out _);
    }

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(Claim)?.Value;
        if (id is not null && _open.TryGetValue(id, out var until) && until > clock.GetUtcNow()) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(ConsoleAuth.Scheme);
    }
}
