using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Newsletter.Api.AdminConsole;
using Newsletter.Core.Digests;
using Newsletter.Core.Options;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Hosting;

public static class ConsoleServices
{
    /// <summary>
    /// The operator's console: a cookie session of its own scheme (nothing else authenticates by
    /// cookie), antiforgery tokens checked by the console's own filter, and its read-side queries.
    /// </summary>
    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddAuthentication().AddCookie(ConsoleAuth.Scheme);
        services.AddOptions<CookieAuthenticationOptions>(ConsoleAuth.Scheme)
            .Configure<IOptions<NewsletterOptions>, ConsoleSessions>((cookie, newsletter, sessions) =>
            {
                cookie.Cookie.Name = ConsoleAuth.CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = SecureWhenPublicIsHttps(newsletter.Value);
                cookie.Cookie.Path = ConsoleAuth.Path;
                cookie.ExpireTimeSpan = ConsoleAuth.SessionLifetime;
                cookie.SlidingExpiration = false;
                cookie.LoginPath = ConsoleAuth.Path;
                cookie.AccessDeniedPath = ConsoleAuth.Path;
                // A signed-out session stays signed out even if its cookie is presented again.
                cookie.Events.OnValidatePrincipal = sessions.ValidateAsync;
            });
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuth.Policy, policy =>
            policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser());

        // The keys behind the session cookie and the forms' tokens: beside the database, not in the
        // ASP.NET default ~/.aspnet that every service (and test) run by that user would share.
        services.AddDataProtection().SetApplicationName("newsletter").PersistKeysToFileSystem(new DirectoryInfo(
            NewsletterDefaults.BesideDatabase(configuration, environment.ContentRootPath, "data-protection-keys")));
        services.AddAntiforgery();
        services.Configure<AntiforgeryOptions>(antiforgery =>
        {
            antiforgery.Cookie.Name = ConsoleAuth.CookieName + "-form";
            antiforgery.Cookie.Path = ConsoleAuth.Path;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            // Not "Always": antiforgery then refuses every request that reached the service as plain
            // http, which is how it sees them behind a TLS proxy. The token is worthless without the session.
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<SignInGuesses>();
        services.AddSingleton<ConsolePageRenderer>();
        services.AddSingleton<ConsoleFormFilter>();
        services.AddSingleton<ConsoleDashboard>();
        services.AddSingleton<SubscriberSearch>();
        services.AddSingleton<SubscriberActivity>();
        services.AddSingleton<SubscriberHistory>();
        services.AddSingleton<DigestList>();
        return services;
    }

    /// <summary>Behind https the cookies are never sent in clear; on a plain-http test or LAN set-up they must still work.</summary>
    private static CookieSecurePolicy SecureWhenPublicIsHttps(NewsletterOptions options) =>
        options.PublicBaseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
}
