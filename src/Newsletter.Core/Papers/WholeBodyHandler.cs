namespace Newsletter.Core.Papers;

/// <summary>
/// Reads each answer's whole body inside the attempt, up to <see cref="MaxBodyBytes"/>. Placed
/// inside the resilience handler, so that its attempt timeout, retries and total timeout govern
/// the body as well as the headers: a source that sends its headers and then stalls mid-body is
/// abandoned and asked again like one that never answers (read later, outside the attempt, the
/// body had no time limit at all, and a stalled fetch held back the day's digest for ever).
/// </summary>
public sealed class WholeBodyHandler : DelegatingHandler
{
    /// <summary>A page of 100 papers is ~110 KB; a body past this is not a page of the list.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        // Said up front: refused at once, not retried (a body cut off at the limit while being
        // read fails as a network error would, and is asked for again).
        if (response.Content.Headers.ContentLength is > MaxBodyBytes and var length)
        {
            response.Dispose();
            throw new PaperSourceException($"The Daily Papers API sent a body of {length} bytes, over the {MaxBodyBytes} a page may have.");
        }
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxBodyBytes, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
