using System.Net;

namespace Newsletter.Api.Tests.Infrastructure;

public static class Problems
{
    /// <summary>The answer has this status and is an RFC 9457 problem document.</summary>
    public static void AssertProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
