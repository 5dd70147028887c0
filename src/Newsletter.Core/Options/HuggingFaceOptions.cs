using System.ComponentModel.DataAnnotations;
using Quartz;

namespace Newsletter.Core.Options;

/// <summary>The Hugging Face Daily Papers API as a paper source.</summary>
public sealed class HuggingFaceOptions : IValidatableObject
{
    public const string Section = "PaperSources:HuggingFace";

    [Required, Url]
    public string BaseUrl { get; set; } = "https://huggingface.co";

    public bool Enabled { get; set; } = true;

    /// <summary>When today's and yesterday's lists are fetched (Quartz cron, in Digest:TimeZone).</summary>
    [Required]
    public string Cron { get; set; } = "0 30 7 * * ?";

    /// <summary>Items per page; the API serves at most 100.</summary>
    [Range(1, 100)]
    public int PageSize { get; set; } = 100;

    /// <summary>How long one request may take before it is abandoned and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one page may take, all retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);

    [Range(1, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first wait before a retry; it grows exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronExpression.TryParse(Cron, out _))
            yield return new ValidationResult($"PaperSources:HuggingFace:Cron '{Cron}' is not a valid Quartz cron expression.", [nameof(Cron)]);
        if (TotalTimeout <= AttemptTimeout)
            yield return new ValidationResult("PaperSources:HuggingFace:TotalTimeout must be longer than AttemptTimeout.", [nameof(TotalTimeout)]);
    }
}
