using Verify.Simulation.Data.Mnist;

namespace Verify.Verification.Downloads;

/// <summary>
/// Decides which folder of MNIST files a command uses: --mnist-dir when given, else the cache folder
/// that `verify data mnist` fills. Only checks that the files are there; reading them is the data
/// source's job (and its errors name the file).
/// </summary>
internal static class MnistLocator
{
    public static string Resolve(string? mnistDir, string? cacheDir = null, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrEmpty(mnistDir))
        {
            string dir = Path.GetFullPath(mnistDir);
            try { MnistFiles.Find(dir); }
            catch (InvalidInputException ex) { throw new InvalidInputException($"--mnist-dir {ex.Message}"); }
            return dir;
        }
        string cached = CacheLocation.Mnist(cacheDir, environment);
        IReadOnlyList<MnistPair> pairs;
        try { pairs = MnistFiles.Present(cached); }
        catch (InvalidInputException ex) { throw new InvalidInputException($"the MNIST cache is incomplete: {ex.Message}; run `verify data mnist --force` or pass --mnist-dir"); }
        if (pairs.Count == 0)
            throw new InvalidInputException($"no MNIST digits: {cached} has no MNIST IDX files; run `verify data mnist` or pass --mnist-dir <folder with {MnistFiles.Expected}>");
        return cached;
    }

    /// <summary>
    /// Before work starts: every MNIST folder these runs read has its files (the cache gets the hint to
    /// run `verify data mnist`, a --mnist-dir folder the list of expected names). Gaussian runs pass.
    /// </summary>
    public static void Check(IEnumerable<Simulation.Runs.RunSpec> specs)
    {
        string cache = CacheLocation.Mnist();
        foreach (var dir in specs.Select(s => s.Data).OfType<MnistDataSource>().Select(m => m.Directory).Distinct(StringComparer.Ordinal))
            Resolve(dir == cache ? null : dir);
    }
}
