using Newsletter.Core.Email;

namespace Newsletter.Core.Privacy;

/// <summary>
/// The page behind "Delete me" (templates/pages/Erase.cshtml): it asks once more and erases nothing
/// (mail scanners open links); its button posts to <see cref="Action"/>.
/// </summary>
public sealed record ErasePage(SenderInfo Sender, string ShownEmail, string Token)
{
    public string Action => "/me/erase?token=" + Uri.EscapeDataString(Token);

    public string ExportLink => "/api/me/export?token=" + Uri.EscapeDataString(Token);
}
