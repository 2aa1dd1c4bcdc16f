namespace Verify.Verification.Downloads;

/// <summary>
/// Where verify keeps downloaded data: $VERIFY_CACHE, else $XDG_CACHE_HOME/verify, else ~/.cache/verify
/// (empty variables count as unset, as the XDG specification says). A --cache-dir option replaces the
/// whole chain; given, it must name a folder: an empty or blank value is an error, not a silent fall back
/// to the default. MNIST lives in the "mnist" folder below it.
/// </summary>
internal static class CacheLocation
{
    public const string MnistFolder = "mnist";

    public static string Root(string? overrideDir = null, Func<string, string?>? environment = null)
    {
        if (overrideDir is not null) return Full(overrideDir, "--cache-dir");
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("VERIFY_CACHE") is { Length: > 0 } explicitRoot) return Full(explicitRoot, "VERIFY_CACHE");
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg) return Path.Combine(Full(xdg, "XDG_CACHE_HOME"), "verify");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "verify");
    }

    public static string Mnist(string? overrideDir = null, Func<string, string?>? environment = null)
        => Path.Combine(Root(overrideDir, environment), MnistFolder);

    /// <summary>The absolute form of a folder the user named; a value that is no path is an error naming where it came from.</summary>
    private static string Full(string dir, string source)
    {
        if (string.IsNullOrWhiteSpace(dir))
            throw InvalidInputException.MustBe(source, $"'{dir}'", source.StartsWith('-')
                ? $"a folder (omit {source} to use the default: $VERIFY_CACHE, else $XDG_CACHE_HOME/verify, else ~/.cache/verify)"
                : $"a folder, or unset");
        try { return Path.GetFullPath(dir); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw InvalidInputException.MustBe(source, $"'{dir}'", $"a folder path ({ex.Message})");
        }
    }
}
