using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using Newsletter.Core.Options;

namespace Newsletter.Core.Email;

/// <summary>Builds one-off mails (HTML and text parts from templates) with the service's sender.</summary>
public sealed class MailComposer
{
    private readonly TemplateRenderer _renderer;
    private readonly MailboxAddress _from;

    public MailComposer(TemplateRenderer renderer, IOptions<NewsletterOptions> options, PublicUrls urls)
    {
        _renderer = renderer;
        _from = MailboxAddress.Parse(options.Value.From);
        Sender = new SenderInfo(string.IsNullOrEmpty(_from.Name) ? "Daily Papers" : _from.Name, options.Value.PostalAddress, urls);
    }

    public SenderInfo Sender { get; }

    public MailboxAddress From => _from;

    public async Task<MimeMessage> ComposeAsync<TModel>(string to, string subject, string htmlTemplate, string textTemplate, TModel model)
    {
        var body = new BodyBuilder
        {
            HtmlBody = await _renderer.RenderHtmlAsync(htmlTemplate, model),
            TextBody = await _renderer.RenderTextAsync(textTemplate, model),
        };
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow, Body = body.ToMessageBody() };
        message.From.Add(_from);
        message.To.Add(MailboxAddress.Parse(to));
        message.MessageId = MimeUtils.GenerateMessageId(_from.Domain);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }
}
