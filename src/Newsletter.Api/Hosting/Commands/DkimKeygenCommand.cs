using Newsletter.Core.Security;

namespace Newsletter.Api.Hosting.Commands;

/// <summary>
/// <c>dkim-keygen --domain D --selector S [--algorithm rsa|ed25519]</c>: prints a new private key
/// (PEM) and the DNS TXT record that publishes its public half.
/// </summary>
public static class DkimKeygenCommand
{
    public const string Name = "dkim-keygen";

    private const string Usage = "usage: dkim-keygen --domain example.org --selector news [--algorithm rsa|ed25519] (RSA is 2048 bits)";

    public static int Run(string[] args)
    {
        if (!TryParse(args, out var domain, out var selector, out var type, out var problem))
        {
            Console.Error.WriteLine($"{problem}; {Usage}");
            return 2;
        }
        var key = DkimKey.Generate(type);
        var record = $"{selector}._domainkey.{domain}";
        var output = Console.Out;
        output.WriteLine($"# The private key ({(type == DkimKeyType.Rsa ? $"RSA {DkimKey.MinRsaBits} bits" : "Ed25519")}). Save it to a file only the service can read, e.g. dkim-{selector}.pem (chmod 600).");
        output.Write(key.Pem.TrimEnd() + "\n");
        output.WriteLine();
        output.WriteLine("# The DNS TXT record to publish (a zone file wants a value over 255 characters split into several quoted strings; most DNS consoles do that themselves):");
        output.WriteLine($"{record} IN TXT \"{key.DnsRecord}\"");
        output.WriteLine();
        output.WriteLine($"# Then start the service with Dkim__Domain={domain} Dkim__Selector={selector} Dkim__PrivateKeyPath=/path/to/dkim-{selector}.pem");
        output.WriteLine($"# (check the record first: dig +short TXT {record}).");
        return 0;
    }

    private static bool TryParse(string[] args, out string domain, out string selector, out DkimKeyType type, out string problem)
    {
        domain = selector = problem = "";
        type = DkimKeyType.Rsa;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--domain" when value is not null: domain = value.Trim().TrimEnd('.').ToLowerInvariant(); i++; break;
                case "--selector" when value is not null: selector = value.Trim(); i++; break;
                case "--algorithm" when value is "rsa" or "ed25519": type = value == "rsa" ? DkimKeyType.Rsa : DkimKeyType.Ed25519; i++; break;
                case "--algorithm":
                    problem = $"--algorithm must be rsa or ed25519, not '{value}'";
                    return false;
                default:
                    problem = $"unexpected argument '{args[i]}'";
                    return false;
            }
        }
        if (Uri.CheckHostName(domain) != UriHostNameType.Dns || !domain.Contains('.')) problem = domain == "" ? "--domain is required" : $"--domain '{domain}' is not a domain name";
        else if (Uri.CheckHostName(selector) != UriHostNameType.Dns) problem = selector == "" ? "--selector is required" : $"--selector '{selector}' is not a DNS label";
        return problem == "";
    }
}
