using System.Runtime.CompilerServices;
using MimeKit;
using Newsletter.Core.Bounces;

namespace Newsletter.Core.Tests.Bounces;

/// <summary>Returned mail in the shapes real servers send it (samples/*.eml), read by the classifier.</summary>
public sealed class BounceClassifierTests
{
    private const string ReturnPath = "bounces+aebagbafaydqqcikbmgq2dipcaibeuatbmgq2d@news.example.org";

    private static BounceReport Read(string sample, [CallerFilePath] string here = "") =>
        BounceClassifier.Read(MimeMessage.Load(Path.Combine(Path.GetDirectoryName(here)!, "Samples", sample)));

    [Fact]
    public void APostfixReportOfAnUnknownUserIsHardWithItsRecipientAndReturnPath()
    {
        var report = Read("postfix-user-unknown.eml");

        Assert.Equal(BounceAction.Hard, report.Action);
        Assert.Equal("5.1.1", report.StatusCode);
        Assert.Equal("nobody@example.com", report.Recipient);
        Assert.Equal([ReturnPath], report.ReturnPaths);
        Assert.Equal("<digest-20260714.42.7@news.example.org>", report.OriginalMessageId);
        Assert.StartsWith("550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown", report.Diagnostic);
        Assert.DoesNotContain("\n", report.Diagnostic);
    }

    [Fact]
    public void GmailsDelayForAFullMailboxIsSoft()
    {
        var report = Read("gmail-mailbox-full.eml");

        Assert.Equal(BounceAction.Soft, report.Action);
        Assert.Equal("4.2.2", report.StatusCode);
        Assert.Equal("reader@gmail.com", report.Recipient);
        Assert.Contains(ReturnPath, report.ReturnPaths);
    }

    [Fact]
    public void AnEximFailureTextIsHardButNamesNoRecipient()
    {
        var report = Read("exim-plain-failure.eml");

        Assert.Equal(BounceAction.Hard, report.Action);
        Assert.Equal("5.1.1", report.StatusCode);
        Assert.Null(report.Recipient);
        Assert.Equal([ReturnPath], report.ReturnPaths);
        Assert.Contains("550 5.1.1", report.Diagnostic);
    }

    [Fact]
    public void AnEximDelayWarningIsSoft()
    {
        var report = Read("exim-plain-retry.eml");

        Assert.Equal(BounceAction.Soft, report.Action);
        Assert.Null(report.StatusCode);
    }

    [Fact]
    public void AYahooFeedbackReportIsAComplaintAboutItsOriginalRecipient()
    {
        var report = Read("yahoo-arf-complaint.eml");

        Assert.Equal(BounceAction.Complaint, report.Action);
        Assert.Equal("reader@yahoo.com", report.Recipient);
        Assert.Equal([ReturnPath], report.ReturnPaths);
        Assert.Equal("<digest-20260714.42.11@news.example.org>", report.OriginalMessageId);
    }

    [Fact]
    public void AnOutlookReportWithTheRecipientRedactedIsAComplaintFoundByItsReturnPath()
    {
        var report = Read("outlook-arf-redacted.eml");

        Assert.Equal(BounceAction.Complaint, report.Action);
        Assert.Null(report.Recipient);
        Assert.Equal([ReturnPath], report.ReturnPaths);
    }

    [Theory]
    [InlineData("out-of-office.eml")]
    [InlineData("delivered-notice.eml")]
    public void AnAutomaticReplyOrASuccessNoticeIsNoBounce(string sample) => Assert.Equal(BounceAction.Ignored, Read(sample).Action);

    [Fact]
    public void AFeedbackReportOfAnotherTypeThanAbuseIsNoComplaint()
    {
        var message = MimeMessage.Load(Path.Combine(SamplesFolder(), "yahoo-arf-complaint.eml"));
        var feedback = message.BodyParts.OfType<MessageFeedbackReport>().Single();
        feedback.Fields["Feedback-Type"] = "not-spam";

        Assert.Equal(BounceAction.Ignored, BounceClassifier.Read(message).Action);
    }

    [Fact]
    public void HostileDiagnosticTextIsCutToOneBoundedLine()
    {
        var message = MimeMessage.Load(Path.Combine(SamplesFolder(), "postfix-user-unknown.eml"));
        var status = message.BodyParts.OfType<MessageDeliveryStatus>().Single();
        status.StatusGroups[1]["Diagnostic-Code"] = "smtp; 550 5.1.1 " + string.Concat(Enumerable.Repeat("<script>\u0007evil\r\n", 5000));

        var report = BounceClassifier.Read(message);

        Assert.Equal(BounceAction.Hard, report.Action);
        Assert.True(report.Diagnostic!.Length <= 500, $"{report.Diagnostic.Length} characters");
        Assert.DoesNotContain('\u0007', report.Diagnostic);
        Assert.DoesNotContain('\n', report.Diagnostic);
    }

    private static string SamplesFolder([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Samples");
}
