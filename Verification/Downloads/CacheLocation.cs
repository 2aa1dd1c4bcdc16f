namespace Verify.Verification.Downloads;

/// <summary>
/// Where verify keeps downloaded data: $VERIFY_CACHE, else $XDG_CACHE_HOME/verify, else ~/.cache/verify
/// (empty variables count as unset, as the XDG specification says). A --cache-dir option replaces the
/// whole chain. MNIST lives in the "mnist" folder below it.
/// </summary>
internal static class CacheLocation
{
    public const string MnistFolder = "mnist";

    public static string Root(string? overrideDir = null, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrEmpty(overrideDir)) return Path.GetFullPath(overrideDir);
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("VERIFY_CACHE") is { Length: > 0 } explicitRoot) return Path.GetFullPath(explicitRoot);
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg) return Path.Combine(Path.GetFullPath(xdg), "verify");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "verify");
    }

    public static string Mnist(string? overrideDir = null, Func<string, string?>? environment = null)
        => Path.Combine(Root(overrideDir, environment), MnistFolder);
}
