using Microsoft.Extensions.Time.Testing;
using Newsletter.Core.Delivery;

namespace Newsletter.Core.Tests.Delivery;

public sealed class SendPacerTests
{
    [Fact]
    public async Task WithoutARateNothingWaits()
    {
        var clock = new FakeTimeProvider();
        var pacer = new SendPacer(0, clock);

        for (var i = 0; i < 100; i++) Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task TheNthMessageWaitsUntilItsSlot()
    {
        var clock = new FakeTimeProvider();
        var pacer = new SendPacer(10, clock);

        // Slots at 0, 100, 200 ms: the first goes at once, the third only when 200 ms have passed.
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        var second = pacer.WaitAsync(CancellationToken.None).AsTask();
        var third = pacer.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(100));
        await second;
        Assert.False(third.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(100));
        await third;
    }

    [Fact]
    public async Task ASenderThatFellBehindCatchesUpOnlyToTheCurrentSlot()
    {
        var clock = new FakeTimeProvider();
        var pacer = new SendPacer(10, clock);
        clock.Advance(TimeSpan.FromMilliseconds(250));

        // Slots 0, 100 and 200 ms have passed; the fourth (300 ms) is still ahead.
        for (var i = 0; i < 3; i++) Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        var fourth = pacer.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(fourth.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(50));
        await fourth;
    }

    [Fact]
    public async Task AWaitEndsWhenTheRunStops()
    {
        var clock = new FakeTimeProvider();
        var pacer = new SendPacer(1, clock);
        using var stop = new CancellationTokenSource();
        await pacer.WaitAsync(stop.Token);

        var waiting = pacer.WaitAsync(stop.Token).AsTask();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task AfterALongStallAtMostAQuarterSecondsWorthGoesAtOnce()
    {
        var clock = new FakeTimeProvider();
        var pacer = new SendPacer(10, clock);
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        clock.Advance(TimeSpan.FromSeconds(10));

        // Ten seconds behind at 10 a second: the slots of the last 250 ms (the one due now included) go at once, not a hundred.
        var atOnce = 0;
        while (pacer.WaitAsync(CancellationToken.None) is { IsCompletedSuccessfully: true }) atOnce++;
        Assert.InRange(atOnce, 3, 4);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task TwoInstancesSharingTheCapEachPaceAtHalfOfIt()
    {
        var clock = new FakeTimeProvider();
        var pacer = new SendPacer(10, clock);
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        pacer.ShareWith(2);

        // A second instance joined: 5 a second from now, the next slot 200 ms on (not 100, not at once).
        var next = pacer.WaitAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(50));
        await next;
        var after = pacer.WaitAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.False(after.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(50));
        await after;
    }
}
