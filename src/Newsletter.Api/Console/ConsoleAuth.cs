using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Admin;
using Newsletter.Api.Http;
using Newsletter.Core.AdminConsole;
using Newsletter.Core.Security;

namespace Newsletter.Api.AdminConsole;

/// <summary>Signing in to the console with the admin key, and out again.</summary>
public static class ConsoleAuth
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string Path = "/admin";
    public const string CookieName = "newsletter-console";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static RouteGroupBuilder MapSignIn(this RouteGroupBuilder console)
    {
        console.MapPost("/login", SignIn).WithBodyLimit(BodyLimits.Small);
        console.MapPost("/logout", SignOut).WithBodyLimit(BodyLimits.Small).RequireAuthorization(Policy);
        return console;
    }

    /// <summary>Whether this request has a console session (and then it is the request's user). Only /admin asks: it shows the sign-in form without one.</summary>
    public static async Task<bool> HasSessionAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded) return false;
        http.User = result.Principal;
        return true;
    }

    public static Task<ContentHttpResult> SignInFormAsync(HttpContext http, ConsolePageRenderer pages, string? error = null, int status = StatusCodes.Status200OK) =>
        pages.RenderAsync("SignIn", new SignInPage(pages.Token(http), error), status);

    /// <summary>
    /// The admin key, compared in constant time. Wrong keys count against the address here and for
    /// the admin API alike, so switching between the two gives a guesser no more tries.
    /// </summary>
    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> SignIn(
        HttpContext http, AppSecrets secrets, SignInGuesses guesses, AdminKeyGuesses apiGuesses, ConsoleSessions sessions,
        ConsolePageRenderer pages, TimeProvider clock)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if ((guesses.LockedOut(address) ?? apiGuesses.LockedOut(address)) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return await SignInFormAsync(http, pages, $"Too many wrong keys from this address; try again in {Math.Ceiling(wait.TotalSeconds)} seconds.",
                StatusCodes.Status429TooManyRequests);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (!secrets.AdminKey.Matches(form["key"].ToString()))
        {
            guesses.RecordFailure(address);
            apiGuesses.RecordFailure(address);
            return await SignInFormAsync(http, pages, "That is not the admin key.", StatusCodes.Status401Unauthorized);
        }

        var expires = clock.GetUtcNow().Add(SessionLifetime);
        await http.SignInAsync(Scheme, sessions.Open(expires), new AuthenticationProperties { IsPersistent = true, ExpiresUtc = expires });
        return TypedResults.Redirect(Path);
    }

    private static async Task<RedirectHttpResult> SignOut(HttpContext http, ConsoleSessions sessions)
    {
        sessions.End(http.User);
        await http.SignOutAsync(Scheme);
        return TypedResults.Redirect(Path);
    }
}
