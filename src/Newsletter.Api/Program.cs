using Newsletter.Api.Admin;
using Newsletter.Api.AdminConsole;
using Newsletter.Api.ApiDocs;
using Newsletter.Api.Archive;
using Newsletter.Api.Hosting;
using Newsletter.Api.Hosting.Commands;
using Newsletter.Api.Http;
using Newsletter.Api.Metrics;
using Newsletter.Api.Pages;
using Newsletter.Api.Preferences;
using Newsletter.Api.Privacy;
using Newsletter.Api.Subscriptions;

MallocArenas.Apply();
if (NewsletterCommands.TryRun(args)) return;

var builder = WebApplication.CreateBuilder(NewsletterDefaults.Arguments(args));
builder.UseNewsletterDefaults();
builder.Services.AddNewsletter(builder.Configuration, builder.Environment);
builder.Services.AddNewsletterApiDocs();
builder.Services.AddNewsletterTelemetry(builder.Configuration);
builder.Services.AddConsole(builder.Configuration, builder.Environment);

var app = builder.Build();
app.UseSecurityHeaders();
app.UseNewsletterErrorPages();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

app.MapPages();
app.MapSubscriptions();
app.MapUnsubscribe();
app.MapPreferences();
app.MapFeedback();
app.MapPrivacy();
app.MapArchive();
app.MapAdmin();
app.MapConsole();
app.MapHealthChecks("/health", HealthReportJson.Options);
app.MapApiDocs();
app.MapMetrics();

app.RunOrExplain();

/// <summary>Entry point, public so the tests can host the real pipeline.</summary>
public partial class Program;
