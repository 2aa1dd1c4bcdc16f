namespace Verify.Verification.Settings;

/// <summary>
/// Where verify keeps what it fetches or measures once per machine (MNIST digits, the BLAS calibration):
/// $VERIFY_CACHE, else $XDG_CACHE_HOME/verify, else ~/.cache/verify (empty variables count as unset, and a
/// relative XDG_CACHE_HOME is ignored, as the XDG specification says). A --cache-dir option replaces the
/// whole chain; given, it must name a folder: an empty or blank value is an error, not a silent fall back
/// to the default. Without any of them, or with a home that is not an existing folder given by an absolute
/// path, there is no cache: an error naming the way out, never a folder relative to the working folder
/// (which is where ~/.cache/verify ended up when $HOME named a missing folder). MNIST lives in the "mnist"
/// folder below it, the calibration in <see cref="CalibrationFile"/>.
/// </summary>
internal static class CacheLocation
{
    public const string MnistFolder = "mnist";
    public const string CalibrationFile = "blas-calibration.json";
    private const string Chain = "$VERIFY_CACHE, else $XDG_CACHE_HOME/verify, else ~/.cache/verify";

    public static string Root(string? overrideDir = null, Func<string, string?>? environment = null)
    {
        if (overrideDir is not null) return Full(overrideDir, "--cache-dir");
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("VERIFY_CACHE") is { Length: > 0 } explicitRoot) return Full(explicitRoot, "VERIFY_CACHE");
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg)) return Path.Combine(Full(xdg, "XDG_CACHE_HOME"), "verify");
        // HOME unset: the account's home from the system, as .NET finds it (not checked for existence here, but below).
        string home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        if (home.Length == 0 || !Path.IsPathFullyQualified(home) || !Directory.Exists(home))
            throw new InvalidInputException($"there is no cache folder: HOME = '{Simulation.Files.InputFile.Printable(home)}' is not an existing folder given by an absolute path; " +
                                            "set VERIFY_CACHE (or XDG_CACHE_HOME) to a folder, or fix HOME");
        return Path.Combine(Path.GetFullPath(home), ".cache", "verify");
    }

    public static string Mnist(string? overrideDir = null, Func<string, string?>? environment = null)
        => Path.Combine(Root(overrideDir, environment), MnistFolder);

    /// <summary>The absolute form of a folder the user named; a value that is no path is an error naming where it came from.</summary>
    private static string Full(string dir, string source)
    {
        if (string.IsNullOrWhiteSpace(dir))
            throw InvalidInputException.MustBe(source, $"'{dir}'", source.StartsWith('-')
                ? $"a folder (omit {source} to use the default: {Chain})"
                : $"a folder, or unset");
        try { return Path.GetFullPath(dir); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw InvalidInputException.MustBe(source, $"'{dir}'", $"a folder path ({ex.Message})");
        }
    }
}
