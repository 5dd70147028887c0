using Newsletter.Bench;

// dotnet run -c Release --project bench/Newsletter.Bench -- render [subscribers]
var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
switch (args.FirstOrDefault())
{
    case "render":
        await RenderBench.RunAsync(root, args.Length > 1 ? int.Parse(args[1]) : 20_000);
        break;
    default:
        Console.Error.WriteLine("usage: render [subscribers]");
        return 2;
}
return 0;
