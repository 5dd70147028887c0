using Newsletter.Api.Http;

namespace Newsletter.Api.AdminConsole;

/// <summary>Wrong keys at the console's sign-in form: five a minute from one address, then refused.</summary>
public sealed class SignInGuesses() : WrongKeyCounter(PerMinute)
{
    public const int PerMinute = 5;
}
