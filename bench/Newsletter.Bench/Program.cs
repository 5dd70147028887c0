using Newsletter.Bench;

// dotnet run -c Release --project bench/Newsletter.Bench -- render [subscribers [sample.eml]] | reader [readers] | ingest [rounds]
var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
switch (args.FirstOrDefault())
{
    case "render":
        await RenderBench.RunAsync(root, args.Length > 1 ? int.Parse(args[1]) : 20_000, args.Length > 2 ? args[2] : null);
        break;
    case "reader":
        await ReaderBench.RunAsync(root, args.Length > 1 ? int.Parse(args[1]) : 100_000);
        break;
    case "ingest":
        await IngestBench.RunAsync(root, args.Length > 1 ? int.Parse(args[1]) : 21);
        break;
    default:
        Console.Error.WriteLine("usage: render [subscribers [sample.eml]] | reader [readers] | ingest [rounds]");
        return 2;
}
return 0;
