using Verify.Simulation.Data.Mnist;
using Verify.Verification.Settings;

namespace Verify.Verification.Downloads;

/// <summary>
/// Decides which folder of MNIST files a command uses: --mnist-dir when given, else the cache folder
/// that `verify data mnist` fills. Checks that the files are there and, when the folder has a
/// <see cref="Sha256Sums.FileName"/> (the cache `verify data mnist` writes has one; a folder of the
/// user's has one only if they put it there), that they still match it; a folder is hashed once per
/// process. Parsing the files is the data source's job (and its errors name the file).
/// </summary>
internal static class MnistLocator
{
    public static string Resolve(string? mnistDir, string? cacheDir = null, Func<string, string?>? environment = null)
    {
        if (mnistDir is not null)
        {
            string dir = FullMnistDir(mnistDir);
            try { Sha256Sums.Verify(dir, Sha256Sums.Files(MnistFiles.Find(dir))); }
            catch (InvalidInputException ex) { throw new InvalidInputException($"--mnist-dir {ex.Message}"); }
            return dir;
        }
        string cached = CacheLocation.Mnist(cacheDir, environment);
        IReadOnlyList<MnistPair> pairs;
        try { pairs = MnistFiles.Present(cached); }
        catch (InvalidInputException ex) { throw new InvalidInputException($"the MNIST cache is incomplete: {ex.Message}; run `verify data mnist --force` or pass --mnist-dir"); }
        if (pairs.Count == 0)
            throw new InvalidInputException($"no MNIST digits: {cached} has no MNIST IDX files; run `verify data mnist` or pass --mnist-dir <folder with {MnistFiles.Expected}>");
        // A cache from before SHA256SUMS existed has none and passes: its files were checked when written.
        try { Sha256Sums.Verify(cached, Sha256Sums.Files(pairs)); }
        catch (InvalidInputException ex) { throw Corrupt(ex, "run `verify data mnist --force` to fetch it again"); }
        return cached;
    }

    /// <summary>
    /// Before work starts: every MNIST folder these runs read has its files, matching its SHA256SUMS when
    /// it has one (the cache gets the hint to run `verify data mnist`, a --mnist-dir folder the list of
    /// expected names). Gaussian runs pass.
    /// </summary>
    public static void Check(IEnumerable<Simulation.Runs.RunSpec> specs)
    {
        var dirs = specs.Select(s => s.Data).OfType<MnistDataSource>().Select(m => m.Directory).Distinct(StringComparer.Ordinal).ToList();
        if (dirs.Count == 0) return; // Gaussian runs need no cache folder (and there may be none: HOME missing)
        string cache = CacheLocation.Mnist();
        foreach (var dir in dirs)
            Resolve(dir == cache ? null : dir);
    }

    /// <summary>The error for a cache whose files no longer match their SHA-256, with what to do about it.</summary>
    internal static InvalidInputException Corrupt(InvalidInputException ex, string remedy) =>
        new($"the MNIST cache is corrupt: {ex.Message}; {remedy}");

    private static string FullMnistDir(string mnistDir)
    {
        const string allowed = "a folder with " + MnistFiles.Expected;
        if (string.IsNullOrWhiteSpace(mnistDir)) throw InvalidInputException.MustBe("--mnist-dir", $"'{mnistDir}'", allowed);
        try { return Path.GetFullPath(mnistDir); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw InvalidInputException.MustBe("--mnist-dir", $"'{mnistDir}'", $"{allowed} ({ex.Message})");
        }
    }
}
