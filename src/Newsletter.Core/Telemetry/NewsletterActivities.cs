using System.Diagnostics;

namespace Newsletter.Core.Telemetry;

/// <summary>
/// The service's traces: one activity per digest made, per digest run and per paper fetch, never
/// one per message. With no tracer listening (no OTLP endpoint set) StartActivity returns null and
/// costs nothing.
/// </summary>
public static class NewsletterActivities
{
    public const string SourceName = "Newsletter";

    public const string AssembleDigest = "digest.assemble";
    public const string SendDigest = "digest.send";
    public const string FetchPapers = "papers.fetch";

    public static readonly ActivitySource Source = new(SourceName);
}
