using Newsletter.Core.Delivery;

namespace Newsletter.Core.Tests.Delivery;

public sealed class SendBreakerTests
{
    private static readonly SendOutcome Sent = new(SendResult.Sent, 1, null);
    private static readonly SendOutcome Deferred = new(SendResult.Deferred, 3, "451 4.7.1 try later");
    private static readonly SendOutcome Rejected = new(SendResult.Rejected, 1, "550 5.1.1 no such user");
    private static readonly SendOutcome Uncomposable = new(SendResult.Uncomposable, 0, "could not compose");

    [Fact]
    public void RecipientsRefusedForGoodNeverTripIt()
    {
        using var halt = new CancellationTokenSource();
        var breaker = new SendBreaker(halt);

        for (var i = 0; i < 500; i++) breaker.Observe(i % 2 == 0 ? Rejected : Uncomposable);

        Assert.False(breaker.Tripped);
        Assert.False(halt.IsCancellationRequested);
    }

    [Fact]
    public void MostOfTheLastDeliveriesDeferredTripsItAndHaltsTheRun()
    {
        using var halt = new CancellationTokenSource();
        var breaker = new SendBreaker(halt);

        for (var i = 0; i < SendBreaker.Window; i++) breaker.Observe(i % 5 == 0 ? Sent : Deferred);

        Assert.True(breaker.Tripped);
        Assert.True(halt.IsCancellationRequested);
        Assert.Contains("40 of the last 50 deliveries failed", breaker.Reason);
    }

    [Fact]
    public void DeferralsSpreadAmongSuccessesDoNotTripIt()
    {
        using var halt = new CancellationTokenSource();
        var breaker = new SendBreaker(halt);

        // Three deferred in four, for ever: under the 80 % share in every window of 50.
        for (var i = 0; i < 1000; i++) breaker.Observe(i % 4 == 0 ? Sent : Deferred);

        Assert.False(breaker.Tripped);
    }

    [Fact]
    public void RefusalsBetweenDeferralsDoNotDiluteTheWindow()
    {
        using var halt = new CancellationTokenSource();
        var breaker = new SendBreaker(halt);

        for (var i = 0; i < SendBreaker.Window; i++)
        {
            breaker.Observe(Deferred);
            breaker.Observe(Rejected);
        }

        Assert.True(breaker.Tripped);
    }

    [Fact]
    public void TheFirstReasonStays()
    {
        using var halt = new CancellationTokenSource();
        var breaker = new SendBreaker(halt);

        breaker.Trip("cannot connect to the relay");
        breaker.Trip("the sender failed");

        Assert.Equal("cannot connect to the relay", breaker.Reason);
    }
}
