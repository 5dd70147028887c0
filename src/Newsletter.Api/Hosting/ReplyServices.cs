using Newsletter.Core.Bounces;
using Newsletter.Core.Delivery;
using Newsletter.Core.Replies;

namespace Newsletter.Api.Hosting;

public static class ReplyServices
{
    /// <summary>Steering by reply: the digests' reply addresses, and the handling of replies from the admin endpoint and the mailboxes.</summary>
    public static IServiceCollection AddReplies(this IServiceCollection services)
    {
        services.AddSingleton<ReplyAddresses>();
        services.AddSingleton<ReplyStore>();
        services.AddSingleton<ReplyApplier>();
        services.AddSingleton<ReplyAnswerer>();
        services.AddSingleton<ReplyHandler>();
        services.AddSingleton<IMailboxReplies>(sp => sp.GetRequiredService<ReplyHandler>());
        return services;
    }
}
