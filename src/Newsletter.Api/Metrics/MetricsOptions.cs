namespace Newsletter.Api.Metrics;

/// <summary>The <c>Metrics</c> section: who may read <c>/metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// Serve /metrics without the admin key, for a scraper on a private network that cannot send
    /// one. Off by default: the counts say how many people read the newsletter.
    /// </summary>
    public bool AllowAnonymous { get; set; }
}
